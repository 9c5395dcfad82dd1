"""The one place where backends are chosen from settings (the composition root).

Building is cheap: nothing loads a model or opens a socket until first use, except the store,
which is opened here (and, for the embedded store, locks the index against a second process).
"""

from __future__ import annotations

import fcntl
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from assistant.core.errors import StoreError
from assistant.core.interfaces import Embedder, ManifestStore, SparseEncoder, VectorStore
from assistant.core.settings import Settings
from indexing.cache import TextCache
from indexing.embedding.factory import build_embedder, with_remote
from indexing.loaders.bounded import BoundedLoader, LoadBudget
from indexing.manifest import ManifestGate
from indexing.manifest_factory import open_manifest
from indexing.pipeline import Indexer
from indexing.rebuild import finish_switch
from indexing.sparse import Bm25SparseEncoder
from indexing.store.factory import open_store

log = logging.getLogger(__name__)


@dataclass
class Components:
    settings: Settings
    embedder: Embedder
    sparse: SparseEncoder
    store: VectorStore
    manifest: ManifestStore
    gate: ManifestGate
    indexer: Indexer
    _lock_file: IO | None = field(default=None, repr=False)

    def close(self) -> None:
        self.indexer.close()
        self.store.close()
        self.manifest.close()
        if self._lock_file is not None:
            self._lock_file.close()


def lock_index(index_dir: Path) -> IO:
    """One process owns the embedded index; a second one gets a clear error, not corruption."""
    index_dir.mkdir(parents=True, exist_ok=True)
    handle = open(index_dir / ".lock", "w")  # noqa: SIM115 - held for the process lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise StoreError(
            f"Chỉ mục {index_dir} đang được một tiến trình troly khác dùng (ví dụ `troly serve`); "
            "hãy dùng trang quản trị hoặc dừng tiến trình đó / the index is in use by another "
            "troly process (e.g. `troly serve`): use the admin page or stop that process"
        ) from exc
    return handle


def build_components(settings: Settings, *, embedder: Embedder | None = None) -> Components:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    lock = None if settings.qdrant_url else lock_index(settings.index_dir)
    if lock is not None and finish_switch(settings):  # a rebuilt index waiting (troly index --rebuild)
        lock.close()
        lock = lock_index(settings.index_dir)
    try:
        embedder = embedder or with_remote(settings, build_embedder(settings))
        cache_path = settings.cache_path
        sparse = Bm25SparseEncoder(cache=TextCache(cache_path, "tokens:v1"))
        store = open_store(settings)
        manifest = open_manifest(settings)  # in PostgreSQL when several processes share it
    except BaseException:
        if lock is not None:
            lock.close()
        raise
    indexer = Indexer(
        embedder=embedder,
        sparse=sparse,
        store=store,
        manifest=manifest,
        cache=TextCache(
            cache_path, f"dense:{embedder.model_id}:{settings.embedding_passage_prompt}"
        ),
        default_audience=settings.default_audience,
        # a child process with size, time and memory budgets reads every file (issue 12)
        loader=BoundedLoader(LoadBudget.from_settings(settings)),
    )
    return Components(
        settings=settings,
        embedder=embedder,
        sparse=sparse,
        store=store,
        manifest=manifest,
        gate=ManifestGate(manifest),
        indexer=indexer,
        _lock_file=lock,
    )
