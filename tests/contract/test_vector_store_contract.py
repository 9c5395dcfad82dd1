"""One contract every VectorStore backend we ship must pass: qdrant-edge on a temp path,
qdrant-client `:memory:`, qdrant-client `path=`; plus a congruence test across them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from assistant.core.domain import Chunk, SearchFilter
from assistant.core.errors import StoreError
from assistant.core.interfaces import VectorStore
from indexing.store.client import QdrantClientStore
from indexing.store.edge import QdrantEdgeStore
from support.store_contract_data import DIM, build_corpus, query_sparse, sparse_of

BACKENDS = ("edge", "client_memory", "client_path")
PERSISTENT = ("edge", "client_path")


def _factory(backend: str, root: Path) -> Callable[[], VectorStore]:
    if backend == "edge":
        return lambda: QdrantEdgeStore(root / "edge")
    if backend == "client_path":
        return lambda: QdrantClientStore({"path": str(root / "local")}, collection="t")
    return lambda: QdrantClientStore({"location": ":memory:"}, collection="t")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def open_store(backend: str, tmp_path: Path):
    opened: list[VectorStore] = []
    make = _factory(backend, tmp_path)

    def _open() -> VectorStore:
        store = make()
        opened.append(store)
        return store

    yield _open
    for store in opened:
        store.close()


@pytest.fixture
def corpus():
    return build_corpus()


@pytest.fixture
def filled(open_store, corpus):
    chunks, dense, sparse = corpus
    store = open_store()
    store.ensure_collection(DIM)
    store.upsert(chunks, dense, sparse)
    return store


def _ids(hits) -> list[str]:
    return [h.chunk.chunk_id for h in hits]


def test_store_implements_vector_store_protocol(open_store) -> None:
    assert isinstance(open_store(), VectorStore)


def test_store_reads_empty_before_collection_exists(open_store, corpus) -> None:
    store = open_store()
    assert store.count() == 0
    assert store.document_hashes() == {}
    assert store.search_dense(corpus[1][0], 5) == []
    assert store.get_chunks([corpus[0][0].chunk_id]) == []


def test_store_upsert_before_ensure_collection_raises(open_store, corpus) -> None:
    chunks, dense, sparse = corpus
    with pytest.raises(StoreError):
        open_store().upsert(chunks, dense, sparse)


def test_store_upsert_rejects_misaligned_batch(filled, corpus) -> None:
    chunks, dense, sparse = corpus
    with pytest.raises(StoreError):
        filled.upsert(chunks[:3], dense[:2], sparse[:3])
    with pytest.raises(StoreError):
        filled.upsert(chunks[:2], np.zeros((2, DIM + 1), np.float32), sparse[:2])


def test_store_count_counts_points(filled, corpus) -> None:
    assert filled.count() == len(corpus[0])


def test_store_dense_search_ranks_own_vector_first(filled, corpus) -> None:
    chunks, dense, _ = corpus
    for i in (0, 7, len(chunks) - 1):
        hits = filled.search_dense(dense[i], 3)
        assert hits[0].chunk.chunk_id == chunks[i].chunk_id
        assert hits[0].score == pytest.approx(1.0, abs=1e-4)
        assert hits[0].scores["dense"] == hits[0].score
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_store_sparse_search_finds_terms_and_only_matches(filled, corpus) -> None:
    chunks = corpus[0]
    hits = filled.search_sparse(query_sparse(chunks[5].text.split()[-1]), 10)
    assert _ids(hits)[0] == chunks[5].chunk_id
    assert all(chunks[5].text.split()[-1] in h.chunk.text.split() for h in hits)
    assert "sparse" in hits[0].scores
    assert filled.search_sparse(query_sparse("từkhôngcótrongkho"), 10) == []


FILTERS = {
    "audience": SearchFilter(audiences=("staff",)),
    "validity": SearchFilter(validities=("expired", "replaced")),
    "document_type": SearchFilter(document_types=("Thông tư",)),
    "field": SearchFilter(fields=("Dược phẩm",)),
    "unit_ids": SearchFilter(unit_ids=("u3", "u8")),
    "doc_ids": SearchFilter(doc_ids=("doc1",)),
    "combined": SearchFilter(
        audiences=("public",), validities=("in_force",), fields=("Y tế dự phòng",)
    ),
}


def _matches(chunk: Chunk, f: SearchFilter) -> bool:
    checks = [
        (f.audiences, chunk.audience), (f.validities, chunk.validity),
        (f.document_types, chunk.document_type), (f.fields, chunk.metadata.get("tthc_field", "")),
        (f.unit_ids, chunk.unit_id), (f.doc_ids, chunk.doc_id),
    ]
    return all(allowed is None or value in allowed for allowed, value in checks)


@pytest.mark.parametrize("name", sorted(FILTERS))
def test_store_filters_restrict_dense_and_sparse(filled, corpus, name: str) -> None:
    chunks, dense, _ = corpus
    f = FILTERS[name]
    expected = {c.chunk_id for c in chunks if _matches(c, f)}
    assert expected and len(expected) < len(chunks)  # the filter must actually cut
    dense_hits = filled.search_dense(dense[0], len(chunks), f)
    sparse_hits = filled.search_sparse(query_sparse("điều"), len(chunks), f)
    assert set(_ids(dense_hits)) == expected
    assert set(_ids(sparse_hits)) == expected


def test_store_empty_filter_tuple_matches_nothing(filled, corpus) -> None:
    assert filled.search_dense(corpus[1][0], 5, SearchFilter(audiences=())) == []


def test_store_get_chunks_roundtrips_every_field(filled, corpus) -> None:
    chunks = corpus[0]
    wanted = [chunks[4].chunk_id, "00000000-0000-0000-0000-000000000000", chunks[1].chunk_id]
    assert filled.get_chunks(wanted) == [chunks[4], chunks[1]]
    assert filled.get_chunks([c.chunk_id for c in chunks]) == chunks
    assert filled.get_chunks(["not-a-uuid"]) == []


def test_store_search_returns_full_chunks(filled, corpus) -> None:
    chunks, dense, _ = corpus
    by_id = {c.chunk_id: c for c in chunks}
    for hit in filled.search_dense(dense[2], 5):
        assert hit.chunk == by_id[hit.chunk.chunk_id]


def test_store_document_hashes_lists_versions(filled, corpus) -> None:
    expected: dict[str, set[str]] = {}
    for c in corpus[0]:
        expected.setdefault(c.doc_id, set()).add(c.doc_hash)
    assert filled.document_hashes() == expected
    assert len(expected["doc0"]) == 2  # the corpus holds an old and a new version of doc0


def test_store_delete_document_keeps_active_hash(filled, corpus) -> None:
    chunks = corpus[0]
    old = [c for c in chunks if c.doc_id == "doc0" and c.doc_hash == "h-old"]
    assert filled.delete_document("doc0", keep_hash="h-new") == len(old)
    assert filled.document_hashes()["doc0"] == {"h-new"}
    assert filled.count() == len(chunks) - len(old)
    assert filled.delete_document("doc0", keep_hash="h-new") == 0


def test_store_delete_document_without_hash_removes_all(filled, corpus) -> None:
    chunks = corpus[0]
    n = sum(c.doc_id == "doc1" for c in chunks)
    assert filled.delete_document("doc1") == n
    assert "doc1" not in filled.document_hashes()
    assert filled.search_dense(corpus[1][0], 50, SearchFilter(doc_ids=("doc1",))) == []
    assert filled.delete_document("no-such-doc") == 0


def test_store_upsert_same_id_replaces(filled, corpus) -> None:
    chunks, dense, sparse = corpus
    changed = Chunk(**{**chunks[0].__dict__, "title": "Tiêu đề mới"})
    filled.upsert([changed], dense[:1], sparse[:1])
    assert filled.count() == len(chunks)
    assert filled.get_chunks([changed.chunk_id]) == [changed]


def test_store_ensure_collection_idempotent_and_rejects_other_dim(open_store, corpus) -> None:
    store = open_store()
    store.ensure_collection(DIM)
    store.upsert(*corpus)
    store.ensure_collection(DIM)
    assert store.count() == len(corpus[0])
    with pytest.raises(StoreError, match=str(DIM + 8)):
        store.ensure_collection(DIM + 8)


def test_store_persists_across_reopen(backend, open_store, corpus) -> None:
    if backend not in PERSISTENT:
        pytest.skip(":memory: does not persist by design")
    chunks, dense, _ = corpus
    store = open_store()
    store.ensure_collection(DIM)
    store.upsert(*corpus)
    store.delete_document("doc0", keep_hash="h-new")
    store.close()
    again = open_store()
    assert again.count() == store_count_after_delete(chunks)
    assert again.search_dense(dense[3], 1)[0].chunk == chunks[3]
    with pytest.raises(StoreError):
        again.ensure_collection(DIM + 1)


def store_count_after_delete(chunks: list[Chunk]) -> int:
    return sum(not (c.doc_id == "doc0" and c.doc_hash == "h-old") for c in chunks)


def test_store_second_opener_gets_locked_error(backend, open_store, corpus) -> None:
    if backend not in PERSISTENT:
        pytest.skip(":memory: has no file lock")
    first = open_store()
    first.ensure_collection(DIM)
    first.upsert(*corpus)
    with pytest.raises(StoreError, match="locked"):
        open_store().count()


def test_store_search_concurrent_with_upsert(open_store, corpus) -> None:
    chunks, dense, sparse = corpus
    store = open_store()
    store.ensure_collection(DIM)
    store.upsert(chunks[:10], dense[:10], sparse[:10])
    extra = build_corpus(n_docs=150, seed=7, id_prefix="x")
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for start in range(0, len(extra[0]), 10):
                end = start + 10
                store.upsert(extra[0][start:end], extra[1][start:end], extra[2][start:end])
        except BaseException as exc:  # noqa: BLE001 - surfaced in the main thread
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    counts = []
    while thread.is_alive() or len(counts) < 20:
        hits = store.search_dense(dense[1], 3)
        assert hits[0].chunk.chunk_id == chunks[1].chunk_id
        assert store.search_sparse(sparse_of("khoản"), 5)
        counts.append(store.count())
    thread.join()
    assert not errors
    assert counts == sorted(counts)  # never goes back while points are added
    assert store.count() == 10 + len(extra[0])


def test_stores_congruent_across_backends(tmp_path: Path, corpus) -> None:
    chunks, dense, sparse = corpus
    rng = np.random.default_rng(3)
    queries = rng.standard_normal((8, DIM)).astype(np.float32)
    words = ["điều", "thuốc", "bảo", "khám", chunks[9].text.split()[-1]]
    results = {}
    for backend in BACKENDS:
        store = _factory(backend, tmp_path / backend)()
        store.ensure_collection(DIM)
        store.upsert(chunks, dense, sparse)
        results[backend] = (
            [_ids(store.search_dense(q, 5)) for q in queries],
            [
                [(h.chunk.chunk_id, round(h.score, 3)) for h in store.search_sparse(query_sparse(w), 5)]
                for w in words
            ],
            [_ids(store.search_dense(q, 5, FILTERS["combined"])) for q in queries],
        )
        store.close()
    first = results[BACKENDS[0]]
    for backend in BACKENDS[1:]:
        assert results[backend] == first, backend
