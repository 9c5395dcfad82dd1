"""Payload mapping shared by both Qdrant stores (no engine needed)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.core.domain import Chunk, SearchFilter, SparseVector
from assistant.core.errors import StoreError
from indexing.store.payload import (
    FILTER_KEYS,
    canonical_id,
    check_batch,
    chunk_to_payload,
    filter_terms,
    payload_to_chunk,
)

CHUNK = Chunk(
    chunk_id="6f1c3b1e-6a57-4d1b-9a3e-2f0d7f1c9b42", doc_id="d", doc_hash="h", unit_id="1.013614",
    text="Thành phần hồ sơ", embed_text="Thủ tục\nThành phần hồ sơ", page=3,
    metadata={"tthc_field": "Dược phẩm", "tthc": {"steps": ["Bước 1.", "Bước 2."], "fee": 0}},
)


def test_payload_roundtrips_chunk_and_exposes_tthc_field() -> None:
    payload = chunk_to_payload(CHUNK)
    assert payload["tthc_field"] == "Dược phẩm"
    assert payload_to_chunk(payload) == CHUNK


def test_payload_tuple_metadata_becomes_list() -> None:
    chunk = Chunk(**{**CHUNK.__dict__, "metadata": {"path": ("Chương I", "Điều 2")}})
    assert chunk_to_payload(chunk)["metadata"] == {"path": ["Chương I", "Điều 2"]}


def test_payload_rejects_metadata_that_is_not_json() -> None:
    chunk = Chunk(**{**CHUNK.__dict__, "metadata": {"bad": object()}})
    with pytest.raises(StoreError, match=CHUNK.chunk_id):
        chunk_to_payload(chunk)


def test_filter_terms_maps_every_search_filter_field() -> None:
    values = {attribute: (f"v-{attribute}",) for attribute in FILTER_KEYS}
    terms = dict(filter_terms(SearchFilter(**values)))
    assert terms == {key: [f"v-{attribute}"] for attribute, key in FILTER_KEYS.items()}
    assert set(FILTER_KEYS) == set(SearchFilter.__dataclass_fields__)


def test_filter_terms_none_means_no_restriction_and_empty_means_nothing() -> None:
    assert filter_terms(None) == []
    assert filter_terms(SearchFilter()) == []
    assert filter_terms(SearchFilter(audiences=("public",), unit_ids=())) is None


def test_check_batch_rejects_misaligned_or_bad_ids() -> None:
    sparse = [SparseVector([1], [1.0])]
    check_batch([CHUNK], np.zeros((1, 4), np.float32), sparse, 4)
    with pytest.raises(StoreError):
        check_batch([CHUNK], np.zeros((1, 5), np.float32), sparse, 4)
    with pytest.raises(StoreError):
        check_batch([CHUNK, CHUNK], np.zeros((2, 4), np.float32), sparse, 4)
    with pytest.raises(StoreError, match="UUID"):
        check_batch([Chunk(**{**CHUNK.__dict__, "chunk_id": "x"})], np.zeros((1, 4)), sparse, 4)


def test_canonical_id_normalises_uuid_text() -> None:
    assert canonical_id(CHUNK.chunk_id.upper()) == CHUNK.chunk_id
    assert canonical_id("not-a-uuid") == ""
