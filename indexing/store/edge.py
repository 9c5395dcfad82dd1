"""VectorStore on qdrant-edge-py: Qdrant's Rust engine in-process, one shard in one directory.

The embedded default. Writes and open/close hold a lock; searches run concurrently with them
(the engine is thread-safe), so chat keeps answering while an admin re-index upserts. There is
no query-time fusion here: dense and sparse results come back separately and the retriever fuses.

`optimize()` builds HNSW indexes and vacuums deleted points. It is not called automatically: it
holds the GIL for its whole run (measured: ~23 s at 20k points, ~140 s at 100k on 2 cores),
which would freeze a serving process. Unoptimised search is exact and fast enough for this
corpus (see evals/bench_store.py).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np
import qdrant_edge as qe

from assistant.core.domain import Chunk, ScoredChunk, SearchFilter, SparseVector
from assistant.core.errors import StoreError
from indexing.store import payload as pl
from indexing.store.errors import store_errors

log = logging.getLogger(__name__)
_BATCH = 256
_SCROLL = 1024
_LOCKED = ("WouldBlock",)  # the WAL's exclusive file lock is held elsewhere


class QdrantEdgeStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._shard: qe.EdgeShard | None = None
        self._lock = threading.RLock()

    # --- lifecycle -----------------------------------------------------------------------
    def _exists(self) -> bool:
        return (self.path / "edge_config.json").is_file()

    def _existing_dim(self) -> int | None:
        try:
            config = json.loads((self.path / "edge_config.json").read_text("utf-8"))
            return int(config["vectors"][pl.DENSE]["size"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _open(self) -> qe.EdgeShard | None:
        """The open shard, loading it from disk on first use; None if never created."""
        shard = self._shard
        if shard is not None:
            return shard
        with self._lock:
            if self._shard is None and self._exists():
                with self._errors("mở chỉ mục", "open the index"):
                    self._shard = qe.EdgeShard.load(str(self.path))
            return self._shard

    def ensure_collection(self, dim: int) -> None:
        with self._lock:
            if self._exists():
                existing = self._existing_dim()
                if existing is not None and existing != dim:
                    raise pl.dim_mismatch(str(self.path), existing, dim)
                self._open()
                return
            config = qe.EdgeConfig(
                vectors={pl.DENSE: qe.EdgeVectorParams(size=dim, distance=qe.Distance.Cosine)},
                sparse_vectors={pl.SPARSE: qe.EdgeSparseVectorParams(modifier=qe.Modifier.Idf)},
            )
            with self._errors("tạo chỉ mục", "create the index"):
                self.path.mkdir(parents=True, exist_ok=True)
                shard = qe.EdgeShard.create(str(self.path), config)
                for key in pl.INDEXED_KEYS:
                    shard.update(
                        qe.UpdateOperation.create_field_index(key, qe.PayloadSchemaType.Keyword)
                    )
            self._shard = shard
            log.info("created edge shard at %s (dim %d)", self.path, dim)

    def close(self) -> None:
        with self._lock:
            if self._shard is not None:
                with self._errors("đóng chỉ mục", "close the index"):
                    self._shard.flush()
                    self._shard.close()
                self._shard = None

    def optimize(self) -> bool:
        """Build indexes and vacuum (blocks the whole process; see the module docstring)."""
        with self._lock:
            shard = self._open()
            if shard is None:
                return False
            with self._errors("tối ưu chỉ mục", "optimise the index"):
                return bool(shard.optimize())

    # --- writes --------------------------------------------------------------------------
    def upsert(
        self, chunks: Sequence[Chunk], dense: np.ndarray, sparse: Sequence[SparseVector]
    ) -> None:
        with self._lock:
            shard = self._open()
            if shard is None:
                raise StoreError(
                    f"{self.path}: chưa tạo chỉ mục (gọi ensure_collection) / "
                    "the index does not exist yet (call ensure_collection)"
                )
            pl.check_batch(chunks, dense, sparse, self._existing_dim() or np.shape(dense)[-1])
            for start in range(0, len(chunks), _BATCH):
                end = start + _BATCH
                points = list(map(_point, chunks[start:end], dense[start:end], sparse[start:end]))
                with self._errors("ghi đoạn văn bản", "upsert chunks"):
                    shard.update(qe.UpdateOperation.upsert_points(points))

    def delete_document(self, doc_id: str, keep_hash: str | None = None) -> int:
        must_not = None
        if keep_hash is not None:
            must_not = [qe.FieldCondition(key="doc_hash", match=qe.MatchValue(keep_hash))]
        selector = qe.Filter(
            must=[qe.FieldCondition(key="doc_id", match=qe.MatchValue(doc_id))], must_not=must_not
        )
        with self._lock:
            shard = self._open()
            if shard is None:
                return 0
            with self._errors("xóa văn bản", "delete a document"):
                deleted = shard.count(qe.CountRequest(exact=True, filter=selector))
                if deleted:
                    shard.update(qe.UpdateOperation.delete_points_by_filter(selector))
        return int(deleted)

    # --- reads ---------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, set[str]]:
        return pl.hashes_by_document(self._scroll_payloads(["doc_id", "doc_hash"]))

    def _scroll_payloads(self, keys: list[str]) -> Iterator[dict]:
        shard = self._open()
        offset = None
        while shard is not None:
            request = qe.ScrollRequest(
                offset=offset, limit=_SCROLL, with_payload=qe.PayloadSelector.Include(keys)
            )
            with self._errors("đọc chỉ mục", "scroll the index"):
                records, offset = shard.scroll(request)
            yield from (r.payload or {} for r in records)
            if offset is None:
                return

    def search_dense(
        self, vector: np.ndarray, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]:
        query = qe.Query.Nearest(np.asarray(vector, dtype=np.float32).tolist(), using=pl.DENSE)
        return self._search(query, limit, filters, pl.DENSE)

    def search_sparse(
        self, vector: SparseVector, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]:
        if not vector.indices:
            return []
        sparse = qe.SparseVector(list(vector.indices), list(vector.values))
        return self._search(qe.Query.Nearest(sparse, using=pl.SPARSE), limit, filters, pl.SPARSE)

    def _search(
        self, query: qe.Query, limit: int, filters: SearchFilter | None, name: str
    ) -> list[ScoredChunk]:
        terms = pl.filter_terms(filters)
        shard = self._open()
        if terms is None or shard is None or limit <= 0:
            return []
        must = [qe.FieldCondition(key=k, match=qe.MatchAny(v)) for k, v in terms]
        request = qe.QueryRequest(
            limit=limit, query=query, filter=qe.Filter(must=must) if must else None,
            with_payload=True,
        )
        with self._errors("tìm kiếm", "search"):
            points = shard.query(request)
        return [
            ScoredChunk(chunk=pl.payload_to_chunk(p.payload or {}), score=p.score,
                        scores={name: p.score})
            for p in points
        ]

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        wanted = [c for c in dict.fromkeys(map(pl.canonical_id, chunk_ids)) if c]
        shard = self._open()
        if shard is None or not wanted:
            return []
        with self._errors("đọc đoạn văn bản", "retrieve chunks"):
            records = shard.retrieve(wanted, True, False)
        by_id = {str(r.id): pl.payload_to_chunk(r.payload or {}) for r in records}
        return [by_id[c] for c in map(pl.canonical_id, chunk_ids) if c in by_id]

    def count(self) -> int:
        shard = self._open()
        if shard is None:
            return 0
        with self._errors("đếm điểm", "count points"):
            return int(shard.count(qe.CountRequest(exact=True)))

    def _errors(self, action_vi: str, action_en: str) -> AbstractContextManager[None]:
        return store_errors(str(self.path), action_vi, action_en, _LOCKED)


def _point(chunk: Chunk, dense: np.ndarray, sparse: SparseVector) -> qe.Point:
    vectors = {
        pl.DENSE: np.asarray(dense, dtype=np.float32).tolist(),
        pl.SPARSE: qe.SparseVector(list(sparse.indices), list(sparse.values)),
    }
    return qe.Point(chunk.chunk_id, vectors, pl.chunk_to_payload(chunk))
