"""VectorStore over qdrant-client: a Qdrant server or cluster (`url=`, `api_key=`), or its local
mode (`location=":memory:"` for tests, `path=` on disk: a pure-Python engine, one process only).

Named vectors "dense" (cosine) and "sparse" (IDF modifier). On a server, keyword payload indexes
are created for the filterable fields. Local mode is not thread-safe, so every call takes the
lock there; against a server only writes and open/close do.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np
from qdrant_client import QdrantClient, models

from assistant.core.domain import Chunk, ScoredChunk, SearchFilter, SparseVector
from assistant.core.errors import StoreError
from indexing.store import client_export as export
from indexing.store import payload as pl
from indexing.store.errors import store_errors

log = logging.getLogger(__name__)
_BATCH = 256
_SCROLL = 1024
_LOCKED = ("already accessed by another instance",)  # local mode's portalocker lock


class QdrantClientStore:
    def __init__(self, client_kwargs: Mapping[str, Any], collection: str = "troly") -> None:
        self.client_kwargs = dict(client_kwargs)
        self.collection = collection
        self.remote = bool(self.client_kwargs.get("url") or self.client_kwargs.get("host"))
        self.where = str(
            self.client_kwargs.get("url") or self.client_kwargs.get("path")
            or self.client_kwargs.get("location") or self.client_kwargs.get("host")
        ) + f"#{collection}"
        self._lock = threading.RLock()
        self._client: QdrantClient | None = None
        self._dim: int | None = None

    # --- lifecycle -----------------------------------------------------------------------
    def _open(self) -> QdrantClient:
        if self._client is None:
            with self._lock, self._errors("mở chỉ mục", "open the index"):
                if self._client is None:
                    kwargs = dict(self.client_kwargs)
                    if not self.remote:  # our lock serialises access across threads
                        kwargs.setdefault("force_disable_check_same_thread", True)
                    self._client = QdrantClient(**kwargs)
        return self._client

    def _reading(self) -> AbstractContextManager[Any]:
        return nullcontext() if self.remote else self._lock

    def _exists(self, client: QdrantClient) -> bool:
        """Whether the collection exists (remembered once seen, to spare a server round trip)."""
        if self._dim is None and client.collection_exists(self.collection):
            self._existing_dim(client)
        return self._dim is not None

    def ensure_collection(self, dim: int) -> None:
        with self._lock, self._errors("tạo bộ sưu tập", "create the collection"):
            client = self._open()
            if self._exists(client):
                existing = self._existing_dim(client)
                if existing != dim:
                    raise pl.dim_mismatch(self.where, existing, dim)
                return
            client.create_collection(
                self.collection,
                vectors_config={
                    pl.DENSE: models.VectorParams(size=dim, distance=models.Distance.COSINE)
                },
                sparse_vectors_config={
                    pl.SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)
                },
            )
            if self.remote:  # local mode ignores payload indexes (and warns about them)
                for key in pl.INDEXED_KEYS:
                    client.create_payload_index(
                        self.collection, key, field_schema=models.PayloadSchemaType.KEYWORD
                    )
            self._dim = dim
            log.info("created collection %s (dim %d)", self.where, dim)

    def _existing_dim(self, client: QdrantClient) -> int:
        if self._dim is None:
            vectors = client.get_collection(self.collection).config.params.vectors
            self._dim = int(vectors[pl.DENSE].size)  # type: ignore[index]
        return self._dim

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                with self._errors("đóng chỉ mục", "close the index"):
                    self._client.close()
                self._client = None
                self._dim = None

    # --- writes --------------------------------------------------------------------------
    def upsert(
        self, chunks: Sequence[Chunk], dense: np.ndarray, sparse: Sequence[SparseVector]
    ) -> None:
        with self._lock, self._errors("ghi đoạn văn bản", "upsert chunks"):
            client = self._open()
            if not self._exists(client):
                raise StoreError(
                    f"{self.where}: chưa tạo bộ sưu tập (gọi ensure_collection) / "
                    "the collection does not exist yet (call ensure_collection)"
                )
            pl.check_batch(chunks, dense, sparse, self._existing_dim(client))
            for start in range(0, len(chunks), _BATCH):
                end = start + _BATCH
                points = list(map(_point, chunks[start:end], dense[start:end], sparse[start:end]))
                client.upsert(self.collection, points=points, wait=True)

    def delete_document(self, doc_id: str, keep_hash: str | None = None) -> int:
        must_not = None
        if keep_hash is not None:
            keep = models.MatchValue(value=keep_hash)
            must_not = [models.FieldCondition(key="doc_hash", match=keep)]
        selector = models.Filter(
            must=[models.FieldCondition(key="doc_id", match=models.MatchValue(value=doc_id))],
            must_not=must_not,
        )
        with self._lock, self._errors("xóa văn bản", "delete a document"):
            client = self._open()
            if not self._exists(client):
                return 0
            deleted = client.count(self.collection, count_filter=selector, exact=True).count
            if deleted:
                selected = models.FilterSelector(filter=selector)
                client.delete(self.collection, points_selector=selected, wait=True)
        return int(deleted)

    # --- reads ---------------------------------------------------------------------------
    def document_hashes(self) -> dict[str, set[str]]:
        return pl.hashes_by_document(self._scroll_payloads(["doc_id", "doc_hash"]))

    def _scroll_payloads(self, keys: list[str]) -> list[dict]:
        offset: Any = None
        payloads: list[dict] = []
        with self._reading(), self._errors("đọc chỉ mục", "scroll the index"):
            client = self._open()
            while self._exists(client):
                records, offset = client.scroll(
                    self.collection, limit=_SCROLL, offset=offset, with_payload=keys
                )
                payloads.extend(r.payload or {} for r in records)
                if offset is None:
                    break
        return payloads

    def search_dense(
        self, vector: np.ndarray, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]:
        query = np.asarray(vector, dtype=np.float32).tolist()
        return self._search(query, pl.DENSE, limit, filters)

    def search_sparse(
        self, vector: SparseVector, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]:
        if not vector.indices:
            return []
        query = models.SparseVector(indices=list(vector.indices), values=list(vector.values))
        return self._search(query, pl.SPARSE, limit, filters)

    def _search(
        self, query: Any, using: str, limit: int, filters: SearchFilter | None
    ) -> list[ScoredChunk]:
        terms = pl.filter_terms(filters)
        if terms is None or limit <= 0:
            return []
        must: list[Any] = [
            models.FieldCondition(key=k, match=models.MatchAny(any=v)) for k, v in terms
        ]
        with self._reading(), self._errors("tìm kiếm", "search"):
            client = self._open()
            if not self._exists(client):
                return []
            points = client.query_points(
                self.collection, query=query, using=using, limit=limit, with_payload=True,
                query_filter=models.Filter(must=must) if must else None,
            ).points
        return [
            ScoredChunk(chunk=pl.payload_to_chunk(p.payload or {}), score=p.score,
                        scores={using: p.score})
            for p in points
        ]

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        wanted = [c for c in dict.fromkeys(map(pl.canonical_id, chunk_ids)) if c]
        if not wanted:
            return []
        with self._reading(), self._errors("đọc đoạn văn bản", "retrieve chunks"):
            client = self._open()
            if not self._exists(client):
                return []
            records = client.retrieve(self.collection, ids=wanted, with_payload=True)
        by_id = {str(r.id): pl.payload_to_chunk(r.payload or {}) for r in records}
        return [by_id[c] for c in map(pl.canonical_id, chunk_ids) if c in by_id]

    def count(self) -> int:
        with self._reading(), self._errors("đếm điểm", "count points"):
            client = self._open()
            if not self._exists(client):
                return 0
            return int(client.count(self.collection, exact=True).count)

    # --- portable export (backing up a Qdrant server) ------------------------------------
    def export_points(self, folder: Path, active: Mapping[str, str] | None = None,
                      progress: Callable[[int, int], None] | None = None) -> int:
        """Write every point (or those of the `active` doc_id -> doc_hash versions) with its
        vectors, payload and the collection's config into `folder`; returns the count."""
        with self._reading(), self._errors("xuất chỉ mục", "export the index"):
            return export.export_collection(self._open(), self.collection, folder,
                                            active=active, progress=progress)

    def import_points(self, folder: Path,
                      progress: Callable[[int, int], None] | None = None) -> int:
        """Recreate the collection from an export and upsert its points in batches. Refuses a
        collection holding points; on any error drops the collection it created."""
        with self._lock, self._errors("nhập chỉ mục", "import the index"):
            client = self._open()
            meta = export.read_export_meta(folder)
            if self._exists(client):
                if client.count(self.collection, exact=True).count:
                    raise StoreError(
                        f"{self.where}: bộ sưu tập đã có dữ liệu, không ghi đè / the collection "
                        "already holds points; it is not overwritten")
                self.drop_collection()  # empty: recreate it with the export's config
            if meta["config"] is None:
                return 0
            export.create_from_config(client, self.collection, meta["config"], self.remote)
            try:
                return export.import_points(client, self.collection, folder, meta, progress)
            except BaseException:
                self.drop_collection()
                raise

    def drop_collection(self) -> None:
        with self._lock, self._errors("xóa bộ sưu tập", "delete the collection"):
            client = self._open()
            if client.collection_exists(self.collection):
                client.delete_collection(self.collection)
            self._dim = None

    def _errors(self, action_vi: str, action_en: str) -> AbstractContextManager[None]:
        return store_errors(self.where, action_vi, action_en, _LOCKED)


def _point(chunk: Chunk, dense: np.ndarray, sparse: SparseVector) -> models.PointStruct:
    vectors = {
        pl.DENSE: np.asarray(dense, dtype=np.float32).tolist(),
        pl.SPARSE: models.SparseVector(indices=list(sparse.indices), values=list(sparse.values)),
    }
    return models.PointStruct(id=chunk.chunk_id, vector=vectors, payload=pl.chunk_to_payload(chunk))
