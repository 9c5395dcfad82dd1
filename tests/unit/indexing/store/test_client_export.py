"""The qdrant-client store's portable export: config, payloads, named dense and sparse vectors
round-trip in streamed, checksummed batches; a damaged batch or a non-empty target refused."""

from __future__ import annotations

import gzip
import json
import uuid
from dataclasses import replace
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from fakes.ui import make_chunk

from assistant.core.domain import SparseVector
from assistant.core.errors import StoreError
from assistant.core.interfaces import PortableIndex
from indexing.store import client_export
from indexing.store.client import QdrantClientStore

DIM = 8
N = 250  # three scroll batches of 100


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(client_export, "SCROLL", 100)


def _filled(path: Path, n: int = N) -> tuple[QdrantClientStore, np.ndarray]:
    store = QdrantClientStore({"path": str(path)}, collection="troly")
    chunks = [replace(make_chunk(f"d{i % 3}", f"d{i % 3}#{i}", f"Điều {i}. Quy định"),
                      doc_hash=f"h{i % 3}", chunk_id=str(uuid.UUID(int=i + 1))) for i in range(n)]
    dense = np.random.default_rng(3).normal(size=(n, DIM)).astype(np.float32)
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    sparse = [SparseVector([i + 5, 2], [0.5, 1.5]) for i in range(n)]
    store.ensure_collection(DIM)
    store.upsert(chunks, dense, sparse)
    return store, dense


def test_export_import_round_trip_keeps_points_vectors_and_search(tmp_path):
    source, dense = _filled(tmp_path / "a")
    seen: list[tuple[int, int]] = []
    assert isinstance(source, PortableIndex)
    assert source.export_points(tmp_path / "export", progress=lambda *p: seen.append(p)) == N
    assert seen == [(100, N), (200, N), (N, N)]
    meta = json.loads((tmp_path / "export" / "export.json").read_text())
    assert meta["config"]["dense"]["dense"] == {"size": DIM, "distance": "Cosine"}
    assert meta["config"]["sparse"]["sparse"] == {"modifier": "idf"}
    assert [b["points"] for b in meta["batches"]] == [100, 100, 50]
    target = QdrantClientStore({"path": str(tmp_path / "b")}, collection="troly")
    assert target.import_points(tmp_path / "export") == N and target.count() == N
    ids = [str(uuid.UUID(int=i + 1)) for i in (0, 150, N - 1)]
    assert target.get_chunks(ids) == source.get_chunks(ids)
    for query in (dense[7], dense[200]):
        assert ([(h.chunk.chunk_id, h.score) for h in target.search_dense(query, 5)]
                == [(h.chunk.chunk_id, h.score) for h in source.search_dense(query, 5)])
    sparse = SparseVector([12, 2], [1.0, 1.0])
    assert ([(h.chunk.chunk_id, h.score) for h in target.search_sparse(sparse, 3)]
            == [(h.chunk.chunk_id, h.score) for h in source.search_sparse(sparse, 3)])
    source.close()
    target.close()


def test_export_keeps_only_the_active_versions(tmp_path):
    source, _ = _filled(tmp_path / "a", 30)
    assert source.export_points(tmp_path / "export", active={"d0": "h0", "d1": "other"}) == 10
    with gzip.open(tmp_path / "export" / "points-000000.jsonl.gz", "rt") as lines:
        assert {json.loads(line)["payload"]["doc_id"] for line in lines} == {"d0"}
    source.close()


def test_import_refuses_a_collection_with_points_and_leaves_it(tmp_path):
    source, _ = _filled(tmp_path / "a", 20)
    source.export_points(tmp_path / "export")
    other, _ = _filled(tmp_path / "b", 5)
    with pytest.raises(StoreError, match="already holds points"):
        other.import_points(tmp_path / "export")
    assert other.count() == 5
    source.close()
    other.close()


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_import_refuses_a_damaged_batch_and_drops_what_it_wrote(tmp_path, damage):
    source, _ = _filled(tmp_path / "a")
    source.export_points(tmp_path / "export")
    batch = tmp_path / "export" / "points-000001.jsonl.gz"
    data = batch.read_bytes()
    batch.write_bytes(data[: len(data) // 2] if damage == "truncate"
                      else data[:-9] + bytes([data[-9] ^ 0xFF]) + data[-8:])
    target = QdrantClientStore({"path": str(tmp_path / "b")}, collection="troly")
    with pytest.raises(StoreError, match="checksum mismatch"):
        target.import_points(tmp_path / "export")
    assert target.count() == 0  # the first batch was upserted, then the collection dropped
    source.close()
    target.close()


def test_a_missing_collection_exports_and_imports_nothing(tmp_path):
    empty = QdrantClientStore({"path": str(tmp_path / "a")}, collection="troly")
    assert empty.export_points(tmp_path / "export") == 0
    target = QdrantClientStore({"path": str(tmp_path / "b")}, collection="troly")
    assert target.import_points(tmp_path / "export") == 0 and target.count() == 0
    empty.close()
    target.close()


def test_a_server_gets_its_payload_indexes_back():
    client = mock.Mock()
    config = {"dense": {"dense": {"size": 4, "distance": "Cosine"}},
              "sparse": {"sparse": {"modifier": "idf"}},
              "payload_indexes": {"doc_id": {"data_type": "keyword", "points": 3}}}
    client_export.create_from_config(client, "c", config, payload_indexes=True)
    client.create_payload_index.assert_called_once_with(
        "c", "doc_id", field_schema=client_export.models.PayloadSchemaType.KEYWORD)
    client_export.create_from_config(client, "c", config, payload_indexes=False)
    assert client.create_payload_index.call_count == 1
