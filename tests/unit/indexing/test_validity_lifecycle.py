"""Indexing an amending or replacing document updates the target's status by number; the
sidecar still wins; an admin's edit wins over both and is logged; deleting the changing
document restores the target."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_pipeline import make_indexer

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "validity"
ORIGINAL, AMENDING = "tt-10-2020-ho-tro-di-lai.txt", "tt-05-2024-sua-doi.txt"
OLD, REPLACING = "tt-30-2019-gio-tiep-nhan.txt", "tt-20-2025-thay-the.txt"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    folder.mkdir()
    for name in (ORIGINAL, OLD):
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def records(indexer) -> dict[str, object]:
    return {Path(r.source).name: r for r in indexer.list_documents()}


def test_extracted_fields_are_stored_with_the_document(tmp_path, library):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([library])
    original = records(indexer)[ORIGINAL]
    assert (original.document_number, original.document_type, original.issue_date) == (
        "10/2020/TT-TEST", "Thông tư", "2020-01-15")
    assert (original.effective_date, original.validity, original.amended_by) == ("2020-03-01", "in_force", [])
    assert original.issuer == "Bộ Thử nghiệm"  # from the header line (the number has no known code)


def test_amending_and_replacing_documents_update_their_targets_by_number(tmp_path, library):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([library])
    shutil.copy(FIXTURES / AMENDING, library / AMENDING)
    shutil.copy(FIXTURES / REPLACING, library / REPLACING)
    indexer.index_paths([library])
    docs = records(indexer)
    original, old = docs[ORIGINAL], docs[OLD]
    assert original.validity == "amended"
    assert {(r.kind, r.articles, r.source, r.effective_date) for r in original.amended_by} == {
        ("amends", ("Điều 3",), "05/2024/TT-TEST", "2024-07-01"),
        ("repeals", ("Điều 4",), "05/2024/TT-TEST", "2024-07-01"),
    }
    assert original.amended_by[0].source_doc_id == docs[AMENDING].doc_id
    assert (old.validity, old.replaced_by, old.status_origin) == ("replaced", "20/2025/TT-TEST", "văn bản khác")
    assert docs[REPLACING].validity == docs[AMENDING].validity == "in_force"
    assert docs[REPLACING].effective_date == "2025-04-06"  # 45 days after signing


def test_a_change_applies_only_from_its_effective_date(tmp_path, library):
    indexer = make_indexer(tmp_path)
    shutil.copy(FIXTURES / AMENDING, library / AMENDING)
    indexer.index_paths([library])
    indexer.refresh_statuses(today="2024-06-30")
    pending = records(indexer)[ORIGINAL]
    assert pending.validity == "in_force" and len(pending.amended_by) == 2  # announced, not yet
    indexer.refresh_statuses(today="2024-07-01")
    assert records(indexer)[ORIGINAL].validity == "amended"


def test_sidecar_values_win_over_relations(tmp_path, library):
    (library / (OLD + ".meta.json")).write_text(json.dumps({"validity": "in_force"}), encoding="utf-8")
    shutil.copy(FIXTURES / REPLACING, library / REPLACING)
    indexer = make_indexer(tmp_path)
    indexer.index_paths([library])
    old = records(indexer)[OLD]
    assert (old.validity, old.status_origin) == ("in_force", "tệp meta")
    assert [r.kind for r in old.amended_by] == ["replaces"]  # still shown on the record


def test_sidecar_declares_a_replacement_by_doc_id(tmp_path, library):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([library])
    target = records(indexer)[ORIGINAL]
    new = library / "ban-moi.txt"
    new.write_text("Quy định mới về hỗ trợ đi lại.\nĐiều 1. Mức hỗ trợ là 400.000 đồng.\n", encoding="utf-8")
    (library / "ban-moi.txt.meta.json").write_text(
        json.dumps({"replaces": [target.doc_id], "effective_date": "2026-01-01"}), encoding="utf-8")
    indexer.index_paths([library])
    target = records(indexer)[ORIGINAL]
    assert target.validity == "replaced"
    assert records(indexer)["ban-moi.txt"].effective_date == "2026-01-01"


def test_admin_edit_wins_is_logged_kept_on_reindex_and_can_be_cleared(tmp_path, library):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([library])
    doc_id = records(indexer)[ORIGINAL].doc_id
    edited = indexer.set_status(doc_id, {"validity": "expired", "effective_date": "2020-03-02"}, "admin-1")
    assert (edited.validity, edited.effective_date, edited.status_origin) == ("expired", "2020-03-02", "quản trị")
    (library / ORIGINAL).write_text((FIXTURES / ORIGINAL).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    indexer.index_paths([library])  # a new version of the file keeps the admin's edit
    assert records(indexer)[ORIGINAL].validity == "expired"
    [change] = indexer.manifest.status_changes(doc_id)
    assert (change["actor"], change["before"], change["after"]["validity"]) == ("admin-1", {}, "expired")
    assert indexer.set_status(doc_id, {}, "admin-1").validity == "in_force"


def test_deleting_the_replacing_document_makes_the_old_one_current_again(tmp_path, library):
    shutil.copy(FIXTURES / REPLACING, library / REPLACING)
    indexer = make_indexer(tmp_path)
    indexer.index_paths([library])
    assert records(indexer)[OLD].validity == "replaced"
    indexer.delete_document(records(indexer)[REPLACING].doc_id)
    assert records(indexer)[OLD].validity == "in_force"


def test_own_end_date_from_the_text_or_the_sidecar_expires_the_document(tmp_path, library):
    (library / "tam-thoi.txt").write_text(
        "QUYẾT ĐỊNH\nSố: 77/2024/QĐ-TEST\n\nĐiều 1. Mức hỗ trợ\nHỗ trợ 30.000 đồng mỗi ngày.\n\n"
        "Điều 2. Hiệu lực\nQuyết định này có hiệu lực đến hết ngày 31/12/2024.\n", encoding="utf-8")
    (library / (OLD + ".meta.json")).write_text(json.dumps({"expiry_date": "2030-01-01"}), encoding="utf-8")
    indexer = make_indexer(tmp_path)
    indexer.index_paths([library])
    docs = records(indexer)
    temporary = docs["tam-thoi.txt"]
    assert temporary.declared["expiry_date"] == "2025-01-01"
    assert (temporary.validity, temporary.status_origin) == ("expired", "văn bản")
    assert docs[OLD].declared["expiry_date"] == "2030-01-01" and docs[OLD].validity == "in_force"
    assert docs[ORIGINAL].validity == "in_force" and "expiry_date" not in docs[ORIGINAL].declared
    indexer.refresh_statuses("2030-01-01")
    assert (records(indexer)[OLD].validity, records(indexer)[OLD].status_origin) == ("expired", "tệp meta")
