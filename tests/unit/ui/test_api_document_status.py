"""Document status through the admin API and the Gradio admin handlers, over the real indexer
(fake embedder, fake store, real manifest): extracted values shown, a later amending upload
changes the target's record, a new version under another file name is proposed and declared as
replacing the old one, status declared at upload, edits audited."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakes.embedder import FakeEmbedder
from fakes.retrieval import FakeSparseEncoder, FakeStore
from fastapi.testclient import TestClient

from indexing.cache import TextCache
from indexing.manifest import Manifest
from indexing.pipeline import Indexer
from ui import gradio_admin, gradio_status
from ui.api import create_app
from ui.context import AppContext

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "validity"


@pytest.fixture
def indexed(services, data_dir):
    services.admin = Indexer(
        embedder=FakeEmbedder(), sparse=FakeSparseEncoder(), store=FakeStore(),
        manifest=Manifest(data_dir / "manifest.sqlite"), cache=TextCache(data_dir / "cache.sqlite", "d"),
    )
    return services


@pytest.fixture
def api(indexed):
    with TestClient(create_app(indexed, with_ui=False)) as test_client:
        yield test_client


def upload(api, admin, name: str, content: bytes | None = None, **form) -> dict:
    from test_api_admin import _wait

    body = content if content is not None else (FIXTURES / name).read_bytes()
    res = api.post("/v1/admin/documents", headers=admin, files=[("files", (name, body, "text/plain"))],
                   data={"audience": "public", **form})
    assert res.status_code == 202, res.text
    job = _wait(api, admin, res.json()["job_id"])
    assert job["status"] == "done" and not job["summary"]["failed"], job
    return by_file(api, admin)[name]


def by_file(api, admin) -> dict[str, dict]:
    return {d["source"]: d for d in api.get("/v1/admin/documents", headers=admin).json()}


def test_extracted_values_then_an_amending_upload_changes_the_original(api, admin):
    original = upload(api, admin, "tt-10-2020-ho-tro-di-lai.txt")
    assert (original["document_number"], original["issue_date"], original["effective_date"]) == (
        "10/2020/TT-TEST", "2020-01-15", "2020-03-01")
    assert original["validity"] == "in_force" and original["status"].startswith("Còn hiệu lực")
    upload(api, admin, "tt-05-2024-sua-doi.txt")
    shown = api.get(f"/v1/admin/documents/{original['doc_id']}", headers=admin).json()
    assert shown["validity"] == "amended"
    assert {(c["kind"], tuple(c["articles"])) for c in shown["amended_by"]} == {
        ("amends", ("Điều 3",)), ("repeals", ("Điều 4",))}
    assert "Điều 3 sửa đổi bởi 05/2024/TT-TEST từ 01/07/2024" in shown["status"]


def test_new_version_under_another_name_is_proposed_then_declared_and_audited(api, admin):
    old = upload(api, admin, "tt-30-2019-gio-tiep-nhan.txt")
    text = (FIXTURES / "tt-30-2019-gio-tiep-nhan.txt").read_text(encoding="utf-8")
    newer = upload(api, admin, "gio-tiep-nhan-2026.txt",
                   text.replace("30/2019/TT-TEST", "07/2026/TT-TEST").replace("năm 2019", "năm 2025")
                   .replace("7 giờ 30", "7 giờ 00").encode())
    shown = api.get(f"/v1/admin/documents/{newer['doc_id']}", headers=admin).json()
    assert shown["proposals"] == [{"doc_id": old["doc_id"], "title": old["title"], "reason": "cùng tiêu đề"}]
    res = api.patch(f"/v1/admin/documents/{newer['doc_id']}/status", headers=admin,
                    json={"replaces": [old["doc_id"]], "effective_date": "01/01/2026"})
    assert res.status_code == 200 and res.json()["proposals"] == []
    assert res.json()["effective_date"] == "2026-01-01" and res.json()["status_origin"] == "quản trị"
    old_now = api.get(f"/v1/admin/documents/{old['doc_id']}", headers=admin).json()
    assert (old_now["validity"], old_now["replaced_by"]) == ("replaced", "07/2026/TT-TEST")
    changes = api.get(f"/v1/admin/documents/{old['doc_id']}/status-changes", headers=admin).json()
    assert changes[0]["after"] == {"validity": "replaced", "replaced_by": "07/2026/TT-TEST"}
    actions = [c["action"] for c in api.get("/v1/admin/changes", headers=admin).json()]
    assert {"document.status", "document.replaced_by"} <= set(actions)


def test_status_declared_at_upload_is_kept_in_the_sidecar_and_wins(api, admin, indexed):
    record = upload(api, admin, "tt-30-2019-gio-tiep-nhan.txt", validity="expired", effective_date="15/01/2020")
    assert (record["validity"], record["status_origin"]) == ("expired", "tệp meta")
    sidecar = indexed.settings.data_dir / "uploads" / "tt-30-2019-gio-tiep-nhan.txt.meta.json"
    assert '"validity": "expired"' in sidecar.read_text(encoding="utf-8")


def test_invalid_status_values_are_refused_with_422(api, admin):
    doc = upload(api, admin, "tt-30-2019-gio-tiep-nhan.txt")
    bad_date = api.patch(f"/v1/admin/documents/{doc['doc_id']}/status", headers=admin, json={"effective_date": "mai"})
    assert bad_date.status_code == 422 and "effective_date" in bad_date.json()["message"]
    bad = api.patch(f"/v1/admin/documents/{doc['doc_id']}/status", headers=admin, json={"validity": "old"})
    assert bad.status_code == 422
    assert api.patch("/v1/admin/documents/x/status", headers={"X-API-Key": "sai"}, json={}).status_code == 401
    assert api.patch("/v1/admin/documents/khong-co/status", headers=admin, json={"validity": "expired"}).status_code == 404


def test_gradio_status_form_prefills_proposes_and_saves(indexed, tmp_path, admin):
    ADMIN_KEY = admin["X-API-Key"]  # noqa: N806
    ctx = AppContext.build(indexed)
    for name in ("tt-30-2019-gio-tiep-nhan.txt", "tt-20-2025-thay-the.txt", "tt-10-2020-ho-tro-di-lai.txt"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    list(gradio_admin.upload(ctx, ADMIN_KEY, [str(tmp_path / "tt-10-2020-ho-tro-di-lai.txt")], "public",
                             lambda *a, **k: None, folder=tmp_path))  # tmp_path: Gradio's upload folder
    rows = {r[1]: r for r in gradio_admin.document_rows(ctx, ADMIN_KEY)}
    original = rows["tt-10-2020-ho-tro-di-lai.txt"]
    assert original[-3:-1] == ["2020-03-01", "Còn hiệu lực (nguồn: văn bản)"]
    validity, effective, replaced_by, replaces, info = gradio_status.load_status(ctx, ADMIN_KEY, original[0])
    assert (validity, effective, replaced_by, replaces) == ("", "2020-03-01", "", "")
    assert "10/2020/TT-TEST" in info
    saved = gradio_status.save_status(ctx, ADMIN_KEY, original[0], "expired", effective, "", "")
    assert saved.startswith("Đã lưu") and "Hết hiệu lực" in saved
    assert indexed.admin.get_document(original[0]).override == {"validity": "expired"}  # date unchanged
    assert gradio_status.save_status(ctx, "sai", original[0], "", "", "", "") == gradio_status.NEED_ADMIN_KEY
    assert gradio_status.save_status(ctx, ADMIN_KEY, original[0], "", "32/13/2020", "", "").startswith("**Lỗi:**")
    ctx.close()
