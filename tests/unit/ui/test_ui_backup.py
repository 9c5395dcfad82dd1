"""`troly backup` / `troly restore` on a real embedded index, manifest and database (SQLite and
PostgreSQL): round trip while "serving", corrupt and truncated archives refused with the data
untouched, retention, no secrets in the archive."""

from __future__ import annotations

import json
import tarfile
import uuid
from dataclasses import replace

import numpy as np
import pytest
from fakes.ui import make_chunk
from pydantic import SecretStr

from assistant.core.domain import Answer, Citation, DocumentRecord, SparseVector
from assistant.app.index import lock_index
from assistant.core.settings import Settings
from indexing.manifest import Manifest
from indexing.store.edge import QdrantEdgeStore
from ui.backup import BackupError, create_backup, restore_backup, verify_archive
from ui.storage import SqlStorage

DIM = 8


def _settings(data_dir, database_url: str) -> Settings:
    # the default SQLite database lives in the data directory; PostgreSQL is external
    url = "" if database_url.startswith("sqlite") else database_url
    return Settings(_env_file=None, data_dir=data_dir, database_url=url)


def _vectors(n: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    dense = rng.normal(size=(n, DIM)).astype(np.float32)
    return dense / np.linalg.norm(dense, axis=1, keepdims=True)


def _fill(settings: Settings) -> tuple[QdrantEdgeStore, Manifest, SqlStorage]:
    (settings.data_dir / "uploads").mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "uploads" / "quydinh.md").write_text("Điều 1. Tiêm chủng", "utf-8")
    chunks = [replace(make_chunk("d1", f"d1#{i}", f"Điều {i}. Quy định số {i}"),
                      chunk_id=str(uuid.UUID(int=i + 1))) for i in range(5)]
    store = QdrantEdgeStore(settings.index_dir / "edge")
    store.ensure_collection(DIM)
    sparse = [SparseVector(indices=[i + 1], values=[1.0]) for i in range(5)]
    store.upsert(chunks, _vectors(5), sparse)
    manifest = Manifest(settings.manifest_path)
    manifest.activate(DocumentRecord("d1", "uploads/quydinh.md", "md", "Quy định", "f", "h1", 1,
                                     "2026-01-01T00:00:00", 5))
    storage = SqlStorage(settings.sqlalchemy_url)
    cite = Citation("d1#1", "1/2026", "Quy định", "Điều 1", 1, "/a", "trích")
    answer_id = storage.save_exchange("c1", "citizen", "tiêm chủng?",
                                      Answer("Trả lời [1]", [cite], "regulation", False, 0.8, {}))
    storage.add_feedback(answer_id, "up", "tốt")
    storage.record_lookup("1.2.3.4", "CODE-1", "ok")
    return store, manifest, storage


def _state(settings: Settings) -> dict:
    store = QdrantEdgeStore(settings.index_dir / "edge")
    manifest = Manifest(settings.manifest_path)
    storage = SqlStorage(settings.sqlalchemy_url)
    try:
        hits = store.search_dense(_vectors(5)[2], 3)
        return {
            "count": store.count(),
            "top": [h.chunk.unit_id for h in hits],
            "documents": [(r.doc_id, r.doc_hash, r.chunks) for r in manifest.list()],
            "conversation": [(e.question, e.answer) for e in storage.conversation("c1")],
            "feedback": [(f.rating, f.comment) for f in storage.list_feedback()],
            "audit": [a.code for a in storage.recent_audit()],
            "upload": (settings.data_dir / "uploads" / "quydinh.md").read_text("utf-8"),
        }
    finally:
        store.close()
        manifest.close()
        storage.close()


@pytest.fixture
def served(tmp_path, database_url):
    """A filled data directory whose index is held by a 'serving' process (this one)."""
    settings = _settings(tmp_path / "data", database_url)
    lock = lock_index(settings.index_dir)
    store, manifest, storage = _fill(settings)
    yield settings
    for resource in (store, manifest, storage, lock):
        resource.close()


def test_backup_while_serving_then_restore_after_wipe_gives_the_same_state(served, tmp_path):
    settings = served
    result = create_backup(settings, tmp_path / "backups")
    assert result.path.is_file() and result.files >= 5 and result.size > 0
    assert verify_archive(result.path)["documents"] == 1
    # a new, empty machine (another data directory) restores it
    fresh = Settings(_env_file=None, data_dir=tmp_path / "restored",
                     database_url=settings.database_url)
    if settings.database_url:  # PostgreSQL: the restore replaces the database's contents
        SqlStorage(settings.sqlalchemy_url).record_lookup("9.9.9.9", "AFTER-BACKUP", "ok")
    restored = restore_backup(fresh, result.path)
    assert restored.documents == 1 and restored.database_rows["exchanges"] == 1
    assert restored.moved_aside is None  # nothing was there
    expected = {
        "count": 5, "documents": [("d1", "h1", 5)],
        "conversation": [("tiêm chủng?", "Trả lời [1]")], "feedback": [("up", "tốt")],
        "audit": ["CODE-1"], "upload": "Điều 1. Tiêm chủng",
    }
    state = _state(fresh)
    assert state["top"][0] == "d1#2"
    assert {k: state[k] for k in expected} == expected
    storage = SqlStorage(fresh.sqlalchemy_url)
    try:  # new rows get fresh ids after a restore (sequences continue)
        assert storage.add_feedback(storage.conversation("c1")[0].answer_id, "down").feedback_id > 1
    finally:
        storage.close()


def test_restore_refuses_while_troly_serves_the_data_directory(served, tmp_path):
    archive = create_backup(served, tmp_path / "backups").path
    with pytest.raises(BackupError, match="stop it before restoring"):
        restore_backup(served, archive)


def _damaged_copies(archive, tmp_path):
    data = archive.read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    copies = {"flipped": bytes(flipped), "truncated": data[: len(data) // 2],
              "empty": b""}
    for name, content in copies.items():
        path = tmp_path / "damaged" / name / archive.name
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
        yield name, path


def test_corrupt_or_truncated_archive_is_refused_and_current_data_untouched(tmp_path,
                                                                            database_url):
    settings = _settings(tmp_path / "data", database_url)
    for resource in _fill(settings):
        resource.close()
    archive = create_backup(settings, tmp_path / "backups").path
    before = _state(settings)
    for name, damaged in _damaged_copies(archive, tmp_path):
        # without the .sha256 sidecar the tar/gzip layers and per-file checksums catch it
        with pytest.raises(BackupError, match="corrupt or incomplete") as refused:
            restore_backup(settings, damaged)
        assert "current data left untouched" in str(refused.value), name
        sidecar = damaged.with_name(damaged.name + ".sha256")
        sidecar.write_text(archive.with_name(archive.name + ".sha256").read_text())
        with pytest.raises(BackupError, match="sha256"):
            restore_backup(settings, damaged)
    assert _state(settings) == before
    assert not list(settings.data_dir.glob(".before-restore-*"))
    assert not list(settings.data_dir.parent.glob(".data.restore-*"))


def test_restore_over_existing_data_moves_it_aside(tmp_path, database_url):
    settings = _settings(tmp_path / "data", database_url)
    for resource in _fill(settings):
        resource.close()
    archive = create_backup(settings, tmp_path / "backups").path
    storage = SqlStorage(settings.sqlalchemy_url)
    storage.record_lookup("5.5.5.5", "AFTER", "ok")
    storage.close()
    manifest = Manifest(settings.manifest_path)
    manifest.remove("d1")
    manifest.close()
    result = restore_backup(settings, archive)
    state = _state(settings)
    assert state["documents"] == [("d1", "h1", 5)] and state["audit"] == ["CODE-1"]
    assert result.moved_aside is not None and (result.moved_aside / "manifest.sqlite").is_file()


def test_retention_keeps_the_newest_archives(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    folder = tmp_path / "backups"
    made = [create_backup(settings, folder, keep=2).path for _ in range(3)]
    left = sorted(folder.glob("troly-backup-*.tar.gz"))
    assert left == sorted(made[1:])
    assert sorted(folder.glob("*.sha256")) == sorted(p.with_name(p.name + ".sha256")
                                                     for p in made[1:])


def test_archive_has_checksums_and_no_secrets(tmp_path):
    settings = Settings(
        _env_file=None, data_dir=tmp_path / "data", qdrant_api_key=SecretStr("qdrant-bi-mat"),
        llm_api_key=SecretStr("llm-bi-mat"), igate_client_secret=SecretStr("igate-bi-mat"),
        admin_key_hashes=["a" * 64])
    archive = create_backup(settings, tmp_path / "backups").path
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        meta = json.loads(tar.extractfile("troly-backup.json").read())
        blob = b"".join(tar.extractfile(m).read() for m in tar if m.isfile())
    assert names[0] == "troly-backup.json" and set(names[1:]) == set(meta["files"])
    assert all(len(f["sha256"]) == 64 for f in meta["files"].values())
    for secret in (b"qdrant-bi-mat", b"llm-bi-mat", b"igate-bi-mat", b"a" * 64):
        assert secret not in blob
    assert meta["model"]["embedding_model"] == settings.embedding_model
    assert len(meta["settings_fingerprint"]) == 64


def test_cli_backup_with_retention_restore_check_and_db_commands(tmp_path, capsys, monkeypatch):
    from assistant.cli import main

    monkeypatch.delenv("TROLY_DATABASE_URL", raising=False)
    data, folder = str(tmp_path / "data"), str(tmp_path / "backups")
    assert main(["--data-dir", data, "db", "current"]) == 3  # no schema yet
    assert main(["--data-dir", data, "db", "upgrade"]) == 0
    assert main(["--data-dir", data, "db", "current"]) == 0
    for _ in range(2):
        assert main(["--data-dir", data, "backup", "--to", folder, "--keep", "1"]) == 0
    [archive] = (tmp_path / "backups").glob("troly-backup-*.tar.gz")
    assert main(["--data-dir", data, "restore", "--check", str(archive)]) == 0
    assert "backup is intact" in capsys.readouterr().out
    archive.write_bytes(archive.read_bytes()[:100])
    assert main(["--data-dir", data, "restore", str(archive)]) == 1
    assert "corrupt or incomplete" in capsys.readouterr().err
