"""In-memory fakes for retrieval tests: a VectorStore, a SparseEncoder, a VersionGate and a
chunk builder. They follow the Protocols in assistant/interfaces.py, not any real backend."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from assistant.core.domain import Chunk, ScoredChunk, SearchFilter, SparseVector
from assistant.core.text import fold_accents

_WORD = re.compile(r"\w+")


def _term_id(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")


class FakeSparseEncoder:
    """Accent-folded bag of words; term frequency as the weight."""

    def _encode(self, text: str) -> SparseVector:
        counts = Counter(_term_id(w) for w in _WORD.findall(fold_accents(text.lower())))
        return SparseVector(indices=list(counts), values=[float(v) for v in counts.values()])

    def encode_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        return [self._encode(t) for t in texts]

    def encode_query(self, text: str) -> SparseVector:
        vec = self._encode(text)
        return SparseVector(vec.indices, [1.0] * len(vec.indices))

    def tokenize(self, text: str) -> list[str]:
        return _WORD.findall(fold_accents(text.lower()))


def passes(chunk: Chunk, f: SearchFilter | None) -> bool:
    """The store's filter semantics, for fakes that filter chunks."""
    if f is None:
        return True
    tthc_field = str(chunk.metadata.get("tthc_field", ""))
    checks = [
        (f.audiences, chunk.audience),
        (f.validities, chunk.validity),
        (f.document_types, chunk.document_type),
        (f.fields, tthc_field),
        (f.unit_ids, chunk.unit_id),
        (f.doc_ids, chunk.doc_id),
    ]
    return all(allowed is None or value in allowed for allowed, value in checks)


@dataclass
class FakeStore:
    """Brute-force VectorStore with the same filter semantics as the real one."""

    chunks: dict[str, Chunk] = field(default_factory=dict)
    dense: dict[str, np.ndarray] = field(default_factory=dict)
    sparse: dict[str, dict[int, float]] = field(default_factory=dict)
    dense_calls: int = 0
    sparse_calls: int = 0

    def ensure_collection(self, dim: int) -> None:
        pass

    def upsert(self, chunks: Sequence[Chunk], dense: np.ndarray, sparse: Sequence[SparseVector]) -> None:
        for chunk, vec, sp in zip(chunks, dense, sparse, strict=True):
            self.chunks[chunk.chunk_id] = chunk
            self.dense[chunk.chunk_id] = np.asarray(vec, dtype=np.float32)
            self.sparse[chunk.chunk_id] = dict(zip(sp.indices, sp.values, strict=True))

    def delete_document(self, doc_id: str, keep_hash: str | None = None) -> int:
        gone = [c.chunk_id for c in self.chunks.values() if c.doc_id == doc_id and c.doc_hash != keep_hash]
        for cid in gone:
            del self.chunks[cid], self.dense[cid], self.sparse[cid]
        return len(gone)

    def document_hashes(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for c in self.chunks.values():
            out.setdefault(c.doc_id, set()).add(c.doc_hash)
        return out

    def search_dense(self, vector: np.ndarray, limit: int, filters: SearchFilter | None = None) -> list[ScoredChunk]:
        self.dense_calls += 1
        scored = [
            ScoredChunk(c, float(np.dot(self.dense[cid], vector)), {})
            for cid, c in self.chunks.items() if passes(c, filters)
        ]
        return sorted(scored, key=lambda h: (-h.score, h.chunk.chunk_id))[:limit]

    def search_sparse(self, vector: SparseVector, limit: int, filters: SearchFilter | None = None) -> list[ScoredChunk]:
        self.sparse_calls += 1
        query = dict(zip(vector.indices, vector.values, strict=True))
        scored = []
        for cid, c in self.chunks.items():
            if not passes(c, filters):
                continue
            score = sum(w * self.sparse[cid].get(t, 0.0) for t, w in query.items())
            if score > 0:
                scored.append(ScoredChunk(c, score, {}))
        return sorted(scored, key=lambda h: (-h.score, h.chunk.chunk_id))[:limit]

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        return [self.chunks[c] for c in chunk_ids if c in self.chunks]

    def count(self) -> int:
        return len(self.chunks)

    def close(self) -> None:
        pass


class FakeGate:
    """VersionGate: the given doc_id -> doc_hash map is live; unknown documents are not."""

    def __init__(self, active: dict[str, str]) -> None:
        self.live = active

    def is_active(self, doc_id: str, doc_hash: str) -> bool:
        return self.live.get(doc_id) == doc_hash

    def active(self) -> dict[str, str]:
        return dict(self.live)


def make_chunk(unit_id: str, text: str, **fields: object) -> Chunk:
    """A chunk with deterministic ids; `fields` override any Chunk attribute."""
    values: dict[str, object] = {
        "chunk_id": hashlib.sha1(f"{unit_id}|{text}".encode()).hexdigest(),
        "doc_id": fields.pop("doc_id", "doc-" + unit_id.split(".")[0]),
        "doc_hash": "h1",
        "unit_id": unit_id,
        "text": text,
        "embed_text": text,
    }
    values.update(fields)
    return Chunk(**values)  # type: ignore[arg-type]


def index_chunks(store: FakeStore, embedder, sparse: FakeSparseEncoder, chunks: Sequence[Chunk]) -> None:
    texts = [c.embed_text for c in chunks]
    store.upsert(chunks, embedder.embed_passages(texts), sparse.encode_passages(texts))
