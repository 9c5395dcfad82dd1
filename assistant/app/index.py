"""The index side of troly from settings: the store, the dense and sparse encoders, the manifest
and the indexer, with the embedded index locked against a second process."""

from __future__ import annotations

import fcntl
import logging
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from assistant.core.errors import StoreError
from assistant.core.interfaces import (
    DocumentAdmin,
    Embedder,
    ManifestStore,
    SparseEncoder,
    VectorStore,
)
from assistant.core.settings import Settings
from assistant.stats_store import CorpusStatsStore
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
class IndexParts:
    """What reads and writes the index. `close()` releases the store, the manifest and the lock."""

    settings: Settings
    embedder: Embedder
    sparse: SparseEncoder
    store: VectorStore
    manifest: ManifestStore
    gate: ManifestGate
    indexer: Indexer
    _closing: ExitStack = field(default_factory=ExitStack, repr=False)

    @property
    def admin(self) -> DocumentAdmin:
        return self.indexer

    def close(self) -> None:
        self._closing.close()


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


def _lock(settings: Settings) -> IO | None:
    """The embedded index's lock (None with a Qdrant server), after switching in a rebuilt index
    that waits for it (`troly index --rebuild` while the index was in use)."""
    if settings.index_on_server:
        return None
    lock = lock_index(settings.index_dir)
    if finish_switch(settings):
        lock.close()
        lock = lock_index(settings.index_dir)
    return lock


def build_index(settings: Settings, *, embedder: Embedder | None = None) -> IndexParts:
    """The index parts, opened; the caller closes them. On an error nothing stays open."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as closing:
        lock = _lock(settings)
        if lock is not None:
            closing.callback(lock.close)
        embedder = embedder or with_remote(settings, build_embedder(settings))
        sparse = Bm25SparseEncoder(cache=TextCache(settings.cache_path, "tokens:v1"))
        store = open_store(settings)
        closing.callback(store.close)
        manifest = open_manifest(settings)  # in PostgreSQL when several processes share it
        closing.callback(manifest.close)
        indexer = _indexer(settings, embedder, sparse, store, manifest)
        closing.callback(indexer.close)
        return IndexParts(
            settings=settings, embedder=embedder, sparse=sparse, store=store, manifest=manifest,
            gate=ManifestGate(manifest), indexer=indexer, _closing=closing.pop_all(),
        )
    raise AssertionError("unreachable")  # pragma: no cover


def _indexer(
    settings: Settings, embedder: Embedder, sparse: SparseEncoder, store: VectorStore,
    manifest: ManifestStore,
) -> Indexer:
    return Indexer(
        embedder=embedder,
        sparse=sparse,
        store=store,
        manifest=manifest,
        cache=TextCache(
            settings.cache_path, f"dense:{embedder.model_id}:{settings.embedding_passage_prompt}"
        ),
        default_audience=settings.default_audience,
        # a child process with size, time and memory budgets reads every file (issue 12)
        loader=BoundedLoader(LoadBudget.from_settings(settings)),
        stats=CorpusStatsStore(settings.stats_path, settings.stats_shares_path),
    )


@contextmanager
def open_index(settings: Settings, *, embedder: Embedder | None = None) -> Iterator[IndexParts]:
    """The index parts for the length of a `with` block (commands that only index)."""
    parts = build_index(settings, embedder=embedder)
    try:
        yield parts
    finally:
        parts.close()
