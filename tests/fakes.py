"""Fakes for the Protocols in assistant/interfaces.py, for unit tests of the code around them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from indexing.text import fold_accents


class FakeEmbedder:
    """Deterministic bag-of-words hashing embedder: similar texts get similar vectors."""

    model_id = "fake-embedder"

    def __init__(self, dim: int = 64, max_tokens: int = 512) -> None:
        self.dim = dim
        self.max_tokens = max_tokens

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in fold_accents(text.lower()).split():
            h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
            vec[h % self.dim] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


class InMemoryStore:
    """A dict-backed VectorStore for unit tests of the pipeline and retrievers."""

    def __init__(self) -> None:
        self.points: dict[str, tuple] = {}  # chunk_id -> (Chunk, dense, SparseVector)
        self.dim: int | None = None
        self.upserts = 0

    def ensure_collection(self, dim: int) -> None:
        self.dim = dim

    def upsert(self, chunks, dense, sparse) -> None:
        for chunk, vec, sv in zip(chunks, dense, sparse, strict=True):
            self.points[chunk.chunk_id] = (chunk, np.asarray(vec), sv)
        self.upserts += 1

    def delete_document(self, doc_id: str, keep_hash: str | None = None) -> int:
        doomed = [
            cid for cid, (c, _, _) in self.points.items()
            if c.doc_id == doc_id and c.doc_hash != keep_hash
        ]
        for cid in doomed:
            del self.points[cid]
        return len(doomed)

    def document_hashes(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for chunk, _, _ in self.points.values():
            found.setdefault(chunk.doc_id, set()).add(chunk.doc_hash)
        return found

    def _allowed(self, chunk, filters) -> bool:
        if filters is None:
            return True
        checks = {
            "audiences": chunk.audience,
            "validities": chunk.validity,
            "document_types": chunk.document_type,
            "fields": chunk.metadata.get("tthc_field", ""),
            "unit_ids": chunk.unit_id,
            "doc_ids": chunk.doc_id,
        }
        return all(
            getattr(filters, name) is None or value in getattr(filters, name)
            for name, value in checks.items()
        )

    def search_dense(self, vector, limit, filters=None):
        from assistant.domain import ScoredChunk

        hits = [
            ScoredChunk(c, float(np.dot(v, vector)), {"dense": float(np.dot(v, vector))})
            for c, v, _ in self.points.values()
            if self._allowed(c, filters)
        ]
        return sorted(hits, key=lambda h: -h.score)[:limit]

    def search_sparse(self, vector, limit, filters=None):
        from assistant.domain import ScoredChunk

        query = dict(zip(vector.indices, vector.values))
        hits = []
        for c, _, sv in self.points.values():
            score = sum(query.get(i, 0.0) * w for i, w in zip(sv.indices, sv.values))
            if score > 0 and self._allowed(c, filters):
                hits.append(ScoredChunk(c, score, {"sparse": score}))
        return sorted(hits, key=lambda h: -h.score)[:limit]

    def get_chunks(self, chunk_ids):
        return [self.points[c][0] for c in chunk_ids if c in self.points]

    def count(self) -> int:
        return len(self.points)

    def close(self) -> None:
        pass


class FakeSparseEncoder:
    """Whitespace tokens hashed to term ids, weight 1 (for pipeline/retriever unit tests)."""

    def _vector(self, text: str):
        from assistant.domain import SparseVector

        terms = sorted({
            int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest(), "little")
            for w in fold_accents(text.lower()).split()
        })
        return SparseVector(indices=terms, values=[1.0] * len(terms))

    def encode_passages(self, texts):
        return [self._vector(t) for t in texts]

    def encode_query(self, text):
        return self._vector(text)
