"""A small synthetic corpus for the store contract: chunks with every field set, two versions of
one document, varied audience/validity/type/field, random dense vectors, and sparse vectors from
whitespace words (the store contract must not depend on underthesea)."""

from __future__ import annotations

import uuid
from collections import Counter

import numpy as np

from assistant.core.domain import Chunk, SparseVector
from indexing.sparse import term_index

DIM = 16
_WORDS = "điều khoản thuốc bảo hiểm khám bệnh giấy phép hành nghề dược phẩm y tế dự phòng".split()
_TYPES = ("Luật", "Thông tư", "Nghị định")
_FIELDS = ("Dược phẩm", "Y tế dự phòng", "")


def sparse_of(text: str) -> SparseVector:
    """BM25 weights over whitespace words (enough for a store contract)."""
    words = text.split()
    tf = Counter(term_index(w) for w in words)
    norm = 1.2 * (0.25 + 0.75 * len(words) / 8)
    indices = sorted(tf)
    return SparseVector(indices, [tf[i] * 2.2 / (tf[i] + norm) for i in indices])


def query_sparse(text: str) -> SparseVector:
    indices = sorted({term_index(w) for w in text.split()})
    return SparseVector(indices, [1.0] * len(indices))


def _chunk(i: int, doc: int, doc_hash: str, words: list[str], prefix: str) -> Chunk:
    unique = f"{prefix}riêng{i}"  # a word only this chunk has
    return Chunk(
        chunk_id=str(uuid.uuid5(uuid.NAMESPACE_URL, f"{prefix}chunk{i}")),
        doc_id=f"doc{doc}",
        doc_hash=doc_hash,
        unit_id=f"u{i}",
        text=" ".join(words + [unique]),
        embed_text=f"Tiêu đề {doc}\n" + " ".join(words + [unique]),
        title=f"Văn bản {doc}",
        document_number=f"{doc}/2018/TT-BYT",
        document_type=_TYPES[i % 3],
        article_label=f"Điều {i}",
        article_path=f"Chương I › Điều {i}",
        page=i if i % 2 else None,
        source=f"/data/doc{doc}.pdf",
        audience="staff" if i % 4 == 0 else "public",
        validity=("in_force", "in_force", "expired", "replaced")[i % 4],
        replaced_by="9/2024/TT-BYT" if i % 4 == 3 else "",
        content_hash=f"{i:064x}",
        metadata={
            "tthc_field": _FIELDS[i % 3],
            "legal_source": {"document_number": f"{doc}/2018/TT-BYT", "issue_date": "2018-12-28"},
            "cross_refs": [f"45.4.LQ.{i}"],
            "rank": i,
            "weight": i / 4,
        },
    )


def build_corpus(
    n_docs: int = 12, seed: int = 0, id_prefix: str = ""
) -> tuple[list[Chunk], np.ndarray, list[SparseVector]]:
    """Chunks (doc0 has an old "h-old" and a new "h-new" version), dense rows, sparse vectors.
    Every text has its own length, so sparse scores do not tie."""
    rng = np.random.default_rng(seed)
    chunks = []
    for i in range(n_docs):
        doc = 0 if i < 4 else 1 if i < 7 else i
        doc_hash = ("h-old" if i < 2 else "h-new") if doc == 0 else f"h{doc}"
        words = ["điều"] + [str(w) for w in rng.choice(_WORDS, size=3 + i)]
        chunks.append(_chunk(i, doc, doc_hash, words, id_prefix))
    dense = rng.standard_normal((len(chunks), DIM)).astype(np.float32)
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    return chunks, dense, [sparse_of(c.text) for c in chunks]
