"""What both Qdrant stores keep per point, and how a SearchFilter reads as payload conditions.

Library-free on purpose: each backend turns `filter_terms` into its own filter objects, so the
two stores cannot drift apart on what a filter means.
"""

from __future__ import annotations

import dataclasses
import json
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from assistant.core.domain import Chunk, SearchFilter, SparseVector
from assistant.core.errors import StoreError

DENSE = "dense"
SPARSE = "sparse"
TTHC_FIELD = "tthc_field"  # copied out of Chunk.metadata so it can be filtered and indexed

# SearchFilter attribute -> payload key
FILTER_KEYS = {
    "audiences": "audience",
    "validities": "validity",
    "document_types": "document_type",
    "fields": TTHC_FIELD,
    "unit_ids": "unit_id",
    "doc_ids": "doc_id",
}
INDEXED_KEYS = (
    "doc_id", "doc_hash", "unit_id", "audience", "validity", "document_type", TTHC_FIELD
)

_CHUNK_FIELDS = tuple(f.name for f in dataclasses.fields(Chunk))


def chunk_to_payload(chunk: Chunk) -> dict[str, Any]:
    """Every Chunk field (metadata as a JSON dict) plus the filterable `tthc_field`."""
    payload = {name: getattr(chunk, name) for name in _CHUNK_FIELDS}
    try:
        payload["metadata"] = json.loads(json.dumps(chunk.metadata, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"metadata của đoạn {chunk.chunk_id} không chuyển được sang JSON: {exc} / "
            f"chunk {chunk.chunk_id}: metadata is not JSON-serialisable"
        ) from exc
    payload[TTHC_FIELD] = str(chunk.metadata.get(TTHC_FIELD, "") or "")
    return payload


def payload_to_chunk(payload: dict[str, Any]) -> Chunk:
    values = {name: payload[name] for name in _CHUNK_FIELDS if name in payload}
    values["metadata"] = dict(values.get("metadata") or {})
    return Chunk(**values)


def filter_terms(filters: SearchFilter | None) -> list[tuple[str, list[str]]] | None:
    """[(payload key, allowed values)], all of which must hold; None when a filter is an empty
    tuple (nothing can match, so the caller skips the search)."""
    terms: list[tuple[str, list[str]]] = []
    if filters is None:
        return terms
    for attribute, key in FILTER_KEYS.items():
        allowed = getattr(filters, attribute)
        if allowed is None:
            continue
        if not allowed:
            return None
        terms.append((key, [str(v) for v in allowed]))
    return terms


def check_batch(
    chunks: Sequence[Chunk], dense: np.ndarray, sparse: Sequence[SparseVector], dim: int
) -> None:
    """Raise StoreError unless chunks, dense rows and sparse vectors line up."""
    shape = tuple(np.shape(dense))
    if len(chunks) != len(sparse) or shape[:1] != (len(chunks),) or (
        len(chunks) and shape[1:] != (dim,)
    ):
        raise StoreError(
            f"dữ liệu ghi không khớp: {len(chunks)} đoạn, vector dày {shape}, "
            f"{len(sparse)} vector thưa, kích thước chỉ mục {dim} / upsert mismatch: "
            f"{len(chunks)} chunks, dense {shape}, {len(sparse)} sparse, index dim {dim}"
        )
    for chunk in chunks:
        if not is_point_id(chunk.chunk_id):
            raise StoreError(
                f"chunk_id không phải UUID: {chunk.chunk_id!r} / chunk_id is not a UUID"
            )


def canonical_id(value: str) -> str:
    """The form both engines return ids in (lowercase hyphenated UUID); "" if not a UUID."""
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return ""


def is_point_id(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def dim_mismatch(where: str, existing: int, wanted: int) -> StoreError:
    return StoreError(
        f"{where}: chỉ mục có vector {existing} chiều nhưng mô hình nhúng cho {wanted} chiều; "
        f"hãy lập chỉ mục lại vào thư mục mới / {where}: the index holds {existing}-d vectors "
        f"but the embedder gives {wanted}-d; re-index into a new data directory"
    )


def hashes_by_document(payloads: Iterable[dict[str, Any]]) -> dict[str, set[str]]:
    """doc_id -> the doc_hash values present, from scrolled payloads."""
    result: dict[str, set[str]] = {}
    for payload in payloads:
        result.setdefault(payload["doc_id"], set()).add(payload["doc_hash"])
    return result
