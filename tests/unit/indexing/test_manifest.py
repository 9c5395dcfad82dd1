from __future__ import annotations

import pytest

from assistant.domain import DocumentRecord
from assistant.errors import NotFoundError
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
