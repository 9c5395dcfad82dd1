"""Edge-only behaviour beyond the shared contract (tests/contract)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.errors import StoreError
from indexing.store.edge import QdrantEdgeStore
from support.store_contract_data import DIM, build_corpus


def test_edge_reads_do_not_create_the_index(tmp_path: Path) -> None:
    store = QdrantEdgeStore(tmp_path / "edge")
    assert store.count() == 0 and store.optimize() is False
    assert not (tmp_path / "edge").exists()


def test_edge_optimize_keeps_search_results(tmp_path: Path) -> None:
    chunks, dense, sparse = build_corpus(n_docs=30)
    store = QdrantEdgeStore(tmp_path / "edge")
    store.ensure_collection(DIM)
    store.upsert(chunks, dense, sparse)
    before = [[h.chunk.chunk_id for h in store.search_dense(v, 5)] for v in dense[:5]]
    store.optimize()
    after = [[h.chunk.chunk_id for h in store.search_dense(v, 5)] for v in dense[:5]]
    assert after == before
    assert store.count() == len(chunks)
    store.close()


def test_edge_lock_error_is_bilingual(tmp_path: Path) -> None:
    first = QdrantEdgeStore(tmp_path / "edge")
    first.ensure_collection(DIM)
    with pytest.raises(StoreError) as info:
        QdrantEdgeStore(tmp_path / "edge").count()
    message = str(info.value)
    assert "tiến trình troly khác" in message and "locked by another troly process" in message
    first.close()
    second = QdrantEdgeStore(tmp_path / "edge")
    assert second.count() == 0  # the lock is released on close
    second.close()
