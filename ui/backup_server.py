"""The index part of `troly backup` / `troly restore` with a Qdrant server (TROLY_QDRANT_URL):
its files cannot be copied, so the points are exported through the point API into the archive
(indexing.store.client_export: config, then gzip JSONL + float32 NPY batches with sha256s) and
imported back into a recreated collection.

Consistency while troly serves: the backup holds the index writer lock (admin jobs and deletes
take it in every process), reads the manifest's active versions, exports only the points of
those versions (a killed run's unactivated points stay behind), dumps the database and reads
the active versions again. An indexer writes a new version's points before it switches the
manifest and deletes the old version's points after, so unchanged active versions mean the
export holds every point the archived manifest names. A writer that ignores the lock (a
`troly index` command) and switches a version meanwhile makes the backup fail: run it again.

Restore writes into TROLY_COLLECTION only when that collection is absent or empty (or holds
the partial import of an interrupted restore, marked in the data directory); on any error the
collection it created is dropped, so a collection that held points is never touched.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from assistant.core.errors import StoreError, TrolyError
from assistant.core.interfaces import PortableIndex
from assistant.core.settings import Settings
from indexing.manifest_factory import open_manifest
from indexing.store.factory import open_store

log = logging.getLogger(__name__)

KIND = "qdrant-points"
EXPORT = "index-export"
Progress = Callable[[int, int], None]


class ServerIndexError(TrolyError):
    """The server index cannot be exported or imported (turned into a BackupError)."""


def open_portable(settings: Settings) -> PortableIndex:
    store = open_store(settings)
    if not isinstance(store, PortableIndex):
        store.close()
        raise ServerIndexError(f"{type(store).__name__} cannot export its points")
    return store


def active_versions(settings: Settings) -> dict[str, str]:
    """doc_id -> active doc_hash, read from the live manifest (file or database tables)."""
    if not settings.manifest_in_database:
        if not settings.manifest_path.is_file():
            return {}
        conn = sqlite3.connect(f"file:{settings.manifest_path}?mode=ro", uri=True, timeout=30)
        try:
            return dict(conn.execute("SELECT doc_id, doc_hash FROM documents"))
        finally:
            conn.close()
    manifest = open_manifest(settings)
    try:
        return manifest.active_hashes()
    finally:
        manifest.close()


def export_index(settings: Settings, staging: Path, active: dict[str, str],
                 progress: Progress | None = None) -> dict[str, object]:
    """Export the active versions' points into staging/EXPORT; returns the index metadata."""
    try:
        store = open_portable(settings)
        try:
            points = store.export_points(staging / EXPORT, active=active, progress=progress)
        finally:
            store.close()
    except StoreError as exc:
        raise ServerIndexError(str(exc)) from exc
    return {"kind": KIND, "collection": settings.collection, "points": points}


def check_unchanged(settings: Settings, before: dict[str, str]) -> None:
    if active_versions(settings) != before:
        raise ServerIndexError(
            "Chỉ mục đã đổi trong lúc sao lưu (một lệnh `troly index` đang chạy?); hãy sao lưu "
            "lại / the index changed during the backup (a `troly index` run?); back up again")


class IndexImport:
    """Fills TROLY_COLLECTION from an archive's export; `undo()` drops what it wrote (the
    caller calls it on any later error), `finish()` keeps it."""

    def __init__(self, settings: Settings, progress: Progress | None = None) -> None:
        self.settings = settings
        self.progress = progress
        self.marker = settings.data_dir / f".restoring-collection-{settings.collection}"
        self.store: PortableIndex | None = None

    def load(self, staging: Path) -> int:
        try:
            self.store = open_portable(self.settings)
            if self.marker.is_file():  # an interrupted restore's partial import
                log.warning("dropping %s left by an interrupted restore", self.settings.collection)
                self.store.drop_collection()
            if self.store.count():
                raise ServerIndexError(
                    f"Bộ sưu tập {self.settings.collection} trên Qdrant đã có dữ liệu; hãy xóa nó "
                    "hoặc đặt TROLY_COLLECTION mới / the Qdrant collection "
                    f"{self.settings.collection} already holds points: delete it or set a new "
                    "TROLY_COLLECTION")
            self.marker.write_text("restore in progress\n", "utf-8")
            return self.store.import_points(staging / EXPORT, progress=self.progress)
        except StoreError as exc:
            raise ServerIndexError(str(exc)) from exc

    def undo(self) -> None:
        if self.store is not None and self.marker.is_file():
            self.store.drop_collection()
        self.finish()

    def finish(self) -> None:
        self.marker.unlink(missing_ok=True)
        if self.store is not None:
            self.store.close()
            self.store = None
