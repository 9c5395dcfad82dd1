from __future__ import annotations

import pytest

from assistant.core.domain import DocumentRecord
from assistant.core.errors import NotFoundError
from indexing.manifest import Manifest, ManifestGate


def record(doc_id: str, doc_hash: str, version: int = 1) -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id, source=f"/x/{doc_id}.txt", format="text", title="T", file_hash="f",
        doc_hash=doc_hash, version=version, indexed_at="2026-01-01T00:00:00+00:00", chunks=3,
        warnings=["trang 2: cần OCR"],
    )


def test_manifest_activate_roundtrips_record_and_clears_pending(tmp_path):
    manifest = Manifest(tmp_path / "m.sqlite")
    manifest.mark_pending("d1", "h2")
    manifest.activate(record("d1", "h2"))
    assert manifest.get("d1") == record("d1", "h2")
    assert manifest.pending() == {}


def test_manifest_get_unknown_raises_not_found(tmp_path):
    with pytest.raises(NotFoundError, match="nope"):
        Manifest(tmp_path / "m.sqlite").get("nope")


def test_manifest_gate_follows_activation_from_another_connection(tmp_path):
    path = tmp_path / "m.sqlite"
    reader, writer = Manifest(path), Manifest(path)
    gate = ManifestGate(reader)
    writer.activate(record("d1", "h1"))
    assert gate.is_active("d1", "h1")
    writer.activate(record("d1", "h2", version=2))
    assert gate.is_active("d1", "h2") and not gate.is_active("d1", "h1")
    writer.remove("d1")
    assert not gate.is_active("d1", "h2")


def test_manifest_keeps_ocr_confidence_and_migrates_an_older_file(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite"
    old_schema = "CREATE TABLE documents (doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, format TEXT NOT NULL, title TEXT NOT NULL, file_hash TEXT NOT NULL, doc_hash TEXT NOT NULL, version INTEGER NOT NULL, indexed_at TEXT NOT NULL, chunks INTEGER NOT NULL, audience TEXT NOT NULL, validity TEXT NOT NULL, document_number TEXT NOT NULL, warnings TEXT NOT NULL)"
    with sqlite3.connect(path) as conn:
        conn.execute(old_schema)
        conn.execute("INSERT INTO documents VALUES ('old', '/x/old.txt', 'text', 'T', 'f', 'h', 1, 't', 1, 'public', 'in_force', '', '[]')")
    manifest = Manifest(path)
    assert manifest.get("old").ocr_confidence is None
    scanned = record("scan", "h1")
    scanned.ocr_confidence = 0.91
    manifest.activate(scanned)
    assert manifest.get("scan").ocr_confidence == 0.91
