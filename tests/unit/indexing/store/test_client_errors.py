"""qdrant-client failures come out as StoreError (no server is needed to see that)."""

from __future__ import annotations

import pytest

from assistant.core.errors import StoreError
from assistant.core.domain import SparseVector
from indexing.store.client import QdrantClientStore


def test_client_store_unreachable_server_raises_store_error() -> None:
    store = QdrantClientStore(
        {"url": "http://127.0.0.1:9", "timeout": 1, "check_compatibility": False}, collection="t"
    )
    assert store.remote
    with pytest.raises(StoreError, match="127.0.0.1:9#t") as info:
        store.search_sparse(SparseVector([1], [1.0]), 5)
    assert "không thể" in str(info.value) and "cannot" in str(info.value)
    store.close()


def test_client_store_search_with_empty_sparse_vector_skips_the_engine() -> None:
    store = QdrantClientStore({"url": "http://127.0.0.1:9", "check_compatibility": False})
    assert store.search_sparse(SparseVector([], []), 5) == []
