"""`troly backup` / `troly restore` with a Qdrant server (TROLY_QDRANT_URL), over SQLite and
PostgreSQL (then the manifest lives in the database). As in the two-instances test, the server
is stood in for by one qdrant-client store in local mode, which runs the same point API calls
(local mode has no snapshot API, so the archive carries the point export either way)."""

from __future__ import annotations

import gzip
import json
import shutil
import tarfile
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from fakes.embedder import FakeEmbedder
from fakes.ui import make_chunk

import assistant.app.index as app_index
import ui.backup_server as backup_server
from assistant.app.answering import build_retriever, build_stats
from assistant.core.domain import SparseVector
from assistant.core.settings import Settings
from indexing.store.client import QdrantClientStore
from ui.backup import BackupError, create_backup, restore_backup, verify_archive
from ui.storage import SqlStorage

TEXTS = {
    "tiem-chung.md": "Điều 1. Lệ phí tiêm chủng là 50.000 đồng.\n\nĐiều 2. Trẻ em được tiêm "
                     "miễn phí các vắc xin trong chương trình tiêm chủng mở rộng.",
    "giay-phep.md": "Điều 1. Cấp lại giấy phép hành nghề khám bệnh, chữa bệnh trong 10 ngày.\n\n"
                    "Điều 2. Hồ sơ gồm đơn đề nghị và bản sao giấy phép cũ.",
}
QUESTIONS = ("lệ phí tiêm chủng", "cấp lại giấy phép hành nghề mất bao lâu", "hồ sơ gồm gì")


@pytest.fixture
def server(tmp_path, monkeypatch):
    """The 'Qdrant server': every store opened from settings is this one local-mode store."""
    shared = QdrantClientStore({"path": str(tmp_path / "qdrant-server")}, collection="troly")
    for module in (app_index, backup_server):
        monkeypatch.setattr(module, "open_store", lambda _settings: shared)
    yield shared
    shared.close()


def _settings(data_dir: Path, database_url: str) -> Settings:
    url = "" if database_url.startswith("sqlite") else database_url
    return Settings(_env_file=None, data_dir=data_dir, database_url=url,
                    qdrant_url="http://qdrant.test:6333")


def _index_corpus(settings: Settings, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir(exist_ok=True)
    for name, text in TEXTS.items():
        (corpus / name).write_text(text, "utf-8")
    parts = app_index.build_index(settings, embedder=FakeEmbedder())
    try:
        summary = parts.indexer.index_paths(sorted(corpus.iterdir()))
        assert not summary.failed and summary.chunks >= 2
    finally:
        parts.close()
    storage = SqlStorage(settings.sqlalchemy_url)
    storage.record_lookup("1.2.3.4", "CODE-1", "ok")
    storage.close()


def _exported(store: QdrantClientStore, folder: Path) -> dict:
    """id -> (payload, sparse, dense row) of every point, read back from an export."""
    store.export_points(folder)
    meta = json.loads((folder / "export.json").read_text("utf-8"))
    points = {}
    for batch in meta["batches"]:
        stem = next(iter(batch["files"])).split(".")[0]
        with gzip.open(folder / f"{stem}.jsonl.gz", "rt", encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines]
        dense = np.load(folder / f"{stem}.dense.npy")
        for row, vector in zip(rows, dense, strict=True):
            points[row["id"]] = (row["payload"], row["sparse"], vector.tolist())
    return {"config": meta["config"], "points": points}


def _state(settings: Settings, store: QdrantClientStore, scratch: Path) -> dict:
    parts = app_index.build_index(settings, embedder=FakeEmbedder())
    storage = SqlStorage(settings.sqlalchemy_url)
    try:
        retriever = build_retriever(parts, build_stats(parts), mode="hybrid")
        results = [[(h.chunk.chunk_id, round(h.score, 6)) for h in retriever.retrieve(q, 5)]
                   for q in QUESTIONS]
        documents = [(r.doc_id, r.doc_hash, r.chunks) for r in parts.manifest.list()]
        audit = [a.code for a in storage.recent_audit()]
    finally:
        storage.close()
        parts.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return {"results": results, "documents": documents, "audit": audit,
            **_exported(store, scratch)}


def test_server_backup_while_serving_then_restore_after_wipe_gives_the_same_results(
        server, tmp_path, database_url):
    settings = _settings(tmp_path / "data", database_url)
    _index_corpus(settings, tmp_path)
    before = _state(settings, server, tmp_path / "scratch")
    assert before["points"] and any(before["results"])
    seen = []
    serving = app_index.build_index(settings, embedder=FakeEmbedder())  # troly keeps serving
    try:
        result = create_backup(settings, tmp_path / "backups", progress=lambda *p: seen.append(p))
        assert serving.store.count() == len(before["points"])
    finally:
        serving.close()
    meta = verify_archive(result.path)
    assert meta["index"] == {"kind": "qdrant-points", "collection": "troly",
                             "points": len(before["points"])}
    assert meta["documents"] == len(TEXTS) and seen[-1][0] == seen[-1][1]

    server.drop_collection()  # the server and the machine are lost
    shutil.rmtree(settings.data_dir)
    restored = restore_backup(settings, result.path, progress=lambda *p: seen.append(p))
    assert restored.documents == len(TEXTS) and restored.warnings == []
    assert not list(settings.data_dir.glob(".restoring-*"))
    assert _state(settings, server, tmp_path / "scratch") == before


def test_server_backup_leaves_out_points_of_versions_never_activated(server, tmp_path):
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    active = server.count()
    stray = replace(make_chunk("tiem-chung", "x#1", "Điều 9. Bản nháp"), doc_hash="never",
                    chunk_id=str(uuid.uuid4()))  # a killed run's point
    dim = FakeEmbedder().dim
    server.upsert([stray], np.eye(1, dim, dtype=np.float32), [SparseVector([1], [1.0])])
    archive = create_backup(settings, tmp_path / "backups").path
    assert verify_archive(archive)["index"]["points"] == active
    server.drop_collection()
    restore_backup(settings, archive)
    assert server.count() == active and server.get_chunks([stray.chunk_id]) == []


def test_server_restore_refuses_a_collection_that_holds_points(server, tmp_path):
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    archive = create_backup(settings, tmp_path / "backups").path
    before = _state(settings, server, tmp_path / "scratch")
    with pytest.raises(BackupError, match="already holds points"):
        restore_backup(settings, archive)
    assert _state(settings, server, tmp_path / "scratch") == before
    assert not list(settings.data_dir.glob(".before-restore-*"))


def _damaged(archive: Path, tmp_path: Path) -> dict[str, Path]:
    data = archive.read_bytes()
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0xFF
    copies = {"flipped": bytes(flipped), "truncated": data[: len(data) // 2], "empty": b""}
    paths = {}
    for name, content in copies.items():
        paths[name] = tmp_path / "damaged" / name / archive.name
        paths[name].parent.mkdir(parents=True)
        paths[name].write_bytes(content)
    return paths


def test_server_restore_refuses_corrupt_or_truncated_archives_and_keeps_the_data(
        server, tmp_path):
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    archive = create_backup(settings, tmp_path / "backups").path
    server.drop_collection()  # even into an empty collection, nothing is written
    storage = SqlStorage(settings.sqlalchemy_url)
    storage.record_lookup("5.5.5.5", "AFTER", "ok")
    storage.close()
    for name, damaged in _damaged(archive, tmp_path).items():
        with pytest.raises(BackupError, match="current data left untouched"):
            restore_backup(settings, damaged)
        assert server.count() == 0, name
    storage = SqlStorage(settings.sqlalchemy_url)
    assert [a.code for a in storage.recent_audit()][0] == "AFTER"
    storage.close()


def test_server_restore_drops_its_import_when_the_database_does_not_load(
        server, tmp_path, monkeypatch):
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    archive = create_backup(settings, tmp_path / "backups").path
    server.drop_collection()

    def broken_load(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("ui.backup.db_dump.load", broken_load)
    with pytest.raises(OSError, match="disk full"):
        restore_backup(settings, archive)
    assert server.count() == 0 and not list(settings.data_dir.glob(".restoring-*"))


def test_server_restore_redoes_the_partial_import_of_an_interrupted_restore(server, tmp_path):
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    points = server.count()
    archive = create_backup(settings, tmp_path / "backups").path
    server.delete_document("giay-phep")  # as if a restore was killed halfway
    (settings.data_dir / ".restoring-collection-troly").write_text("restore in progress\n")
    restore_backup(settings, archive)
    assert server.count() == points


def test_server_export_inside_the_archive_is_checked_again_before_the_import(
        server, tmp_path, monkeypatch):
    """A batch altered after the archive was verified (its sha256 in export.json) is refused
    by the import itself, and the collection it created is dropped."""
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    archive = create_backup(settings, tmp_path / "backups").path
    server.drop_collection()
    load = backup_server.IndexImport.load

    def tampered(self, staging):
        [batch] = (staging / backup_server.EXPORT).glob("*.dense.npy")
        np.save(batch, np.load(batch) * 0.5)
        return load(self, staging)

    monkeypatch.setattr(backup_server.IndexImport, "load", tampered)
    with pytest.raises(BackupError, match="checksum mismatch"):
        restore_backup(settings, archive)
    assert server.count() == 0


def test_archives_do_not_cross_store_kinds(server, tmp_path):
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    server_archive = create_backup(settings, tmp_path / "backups").path
    embedded = Settings(_env_file=None, data_dir=tmp_path / "embedded")
    with pytest.raises(BackupError, match="set TROLY_QDRANT_URL"):
        restore_backup(embedded, server_archive)
    embedded_archive = create_backup(embedded, tmp_path / "embedded-backups").path
    with tarfile.open(embedded_archive) as tar:
        assert not [n for n in tar.getnames() if n.startswith("index-export")]
    with pytest.raises(BackupError, match="holds an embedded index"):
        restore_backup(settings, embedded_archive)


def test_cli_backs_up_and_restores_a_server_index_with_progress(server, tmp_path, capsys,
                                                                 monkeypatch):
    from assistant.cli import main

    monkeypatch.setenv("TROLY_QDRANT_URL", "http://qdrant.test:6333")
    monkeypatch.delenv("TROLY_DATABASE_URL", raising=False)
    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    points = server.count()
    data, folder = str(settings.data_dir), str(tmp_path / "backups")
    assert main(["--data-dir", data, "backup", "--to", folder]) == 0
    assert f"points: {points}/{points}" in capsys.readouterr().err
    [archive] = (tmp_path / "backups").glob("troly-backup-*.tar.gz")
    assert main(["--data-dir", data, "restore", str(archive)]) == 1  # the collection is full
    assert "already holds points" in capsys.readouterr().err
    server.drop_collection()
    assert main(["--data-dir", data, "restore", str(archive)]) == 0
    assert server.count() == points


def test_server_backup_fails_when_a_version_is_switched_during_the_export(
        server, tmp_path, monkeypatch):
    """A writer that ignores the index lock (a `troly index` command) switches a version while
    the points are exported: the archive could miss that document's points, so no archive."""
    from indexing.manifest import Manifest

    settings = _settings(tmp_path / "data", "sqlite")
    _index_corpus(settings, tmp_path)
    export_index = backup_server.export_index

    def switched_meanwhile(*args, **kwargs):
        index = export_index(*args, **kwargs)
        manifest = Manifest(settings.manifest_path)
        record = manifest.list()[0]
        manifest.activate(replace(record, doc_hash="new-version", version=record.version + 1))
        manifest.close()
        return index

    monkeypatch.setattr(backup_server, "export_index", switched_meanwhile)
    with pytest.raises(BackupError, match="back up again"):
        create_backup(settings, tmp_path / "backups")
    assert not list((tmp_path / "backups").iterdir())  # nor its staging folder
