"""Store-only benchmark with synthetic data: random dense vectors, Zipf-ish sparse vectors.

    .venv/bin/python -m evals.bench_store --n 100000 [--backend edge|local|memory] [--optimize]
        [--text-chars 1200]

Prints JSON: insert time, and p50/p95 latency of dense, sparse, hybrid (the two searches fused by
the retriever's own RRF, assistant.fusion) and hybrid with an audience filter, measured warm.
For an on-disk backend it also measures the memory a serving process needs for the index: a
fresh process opens the store that was built and runs the searches; its resident memory before
opening and after the searches is printed (`serving_rss_mb`). `--text-chars` gives each point a
text payload of that length (the chunks of the health index average 730 characters).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.domain import Chunk, SearchFilter, SparseVector
from assistant.core.interfaces import VectorStore
from assistant.fusion import rrf_fuse
from evals.metrics import latency_summary

_VOCAB = 60_000
_BATCH = 1_000


def _sparse(rng: np.random.Generator, n_terms: int, unit: bool) -> SparseVector:
    terms = np.minimum(rng.zipf(1.25, n_terms), _VOCAB) * 2654435761 % 2**32  # spread ids
    ids, tf = np.unique(terms, return_counts=True)
    values = [1.0] * len(ids) if unit else (tf * 2.2 / (tf + 1.2)).tolist()
    return SparseVector([int(i) for i in ids], values)


_FILLER = "người bệnh được khám bệnh, chữa bệnh theo quy định của pháp luật về bảo hiểm y tế. "


def _text(i: int, chars: int) -> str:
    head = f"đoạn {i}"
    if chars <= len(head):
        return head
    return (head + " " + _FILLER * (chars // len(_FILLER) + 1))[:chars]


def _batch(rng: np.random.Generator, start: int, n: int, dim: int, text_chars: int = 0):
    chunks = [
        Chunk(chunk_id=str(uuid.UUID(int=i + 1)), doc_id=f"d{i // 20}", doc_hash="h",
              unit_id=f"u{i}", text=_text(i, text_chars), embed_text=f"đoạn {i}",
              audience="staff" if i % 10 == 0 else "public")
        for i in range(start, start + n)
    ]
    dense = rng.standard_normal((n, dim)).astype(np.float32)
    dense /= np.linalg.norm(dense, axis=1, keepdims=True)
    return chunks, dense, [_sparse(rng, 80, unit=False) for _ in range(n)]


def _latency(fn: Callable[[int], Any], queries: int) -> dict[str, float]:
    for i in range(min(20, queries)):  # warm up
        fn(i)
    times = []
    for i in range(queries):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return {p: round(v, 2) for p, v in latency_summary(times).items()}


def _measure(store: VectorStore, rng: np.random.Generator, dim: int, queries: int) -> dict:
    dense_q = rng.standard_normal((queries, dim)).astype(np.float32)
    sparse_q = [_sparse(rng, 8, unit=True) for _ in range(queries)]
    public = SearchFilter(audiences=("public",))

    def hybrid(i: int, f: SearchFilter | None = None) -> list[str]:
        ranked = {"dense": store.search_dense(dense_q[i], 50, f),
                  "sparse": store.search_sparse(sparse_q[i], 50, f)}
        return [hit.chunk.chunk_id for hit in rrf_fuse(ranked)]

    return {
        "dense_ms": _latency(lambda i: store.search_dense(dense_q[i], 10), queries),
        "sparse_ms": _latency(lambda i: store.search_sparse(sparse_q[i], 10), queries),
        "hybrid_ms": _latency(hybrid, queries),
        "hybrid_filtered_ms": _latency(lambda i: hybrid(i, public), queries),
    }


def bench_store(
    store_factory: Callable[[], VectorStore], n_points: int, dim: int = 384, queries: int = 200,
    optimize: bool = False, seed: int = 0, text_chars: int = 0,
) -> dict:
    """Insert `n_points` synthetic points, then time searches (and again after `optimize()` when
    asked and the store has one). Latencies in ms; the store is closed at the end."""
    rng = np.random.default_rng(seed)
    store = store_factory()
    try:
        store.ensure_collection(dim)
        start = time.perf_counter()
        for first in range(0, n_points, _BATCH):
            store.upsert(*_batch(rng, first, min(_BATCH, n_points - first), dim, text_chars))
        insert_s = time.perf_counter() - start
        result: dict[str, Any] = {
            "store": type(store).__name__, "n_points": store.count(), "dim": dim,
            "queries": queries, "insert_s": round(insert_s, 2),
            "insert_points_per_s": round(n_points / insert_s) if insert_s else None,
            "as_inserted": _measure(store, rng, dim, queries),
        }
        if optimize and hasattr(store, "optimize"):
            start = time.perf_counter()
            store.optimize()
            result["optimize_s"] = round(time.perf_counter() - start, 2)
            result["optimized"] = _measure(store, rng, dim, queries)
        return result
    finally:
        store.close()


def _factory(backend: str, root: Path) -> Callable[[], VectorStore]:
    from indexing.store.client import QdrantClientStore
    from indexing.store.edge import QdrantEdgeStore

    if backend == "edge":
        return lambda: QdrantEdgeStore(root / "edge")
    if backend == "local":
        return lambda: QdrantClientStore({"path": str(root / "local")}, collection="bench")
    return lambda: QdrantClientStore({"location": ":memory:"}, collection="bench")


def _serving_rss(backend: str, root: Path, dim: int, queries: int) -> dict:
    """In a fresh process: resident memory before and after opening the built store and
    searching it (what a serving process pays for this index)."""
    import indexing.store.client  # noqa: F401 - libraries loaded before the baseline
    import indexing.store.edge  # noqa: F401
    from evals.machine import current_rss_mb

    before = current_rss_mb()
    store = _factory(backend, root)()
    try:
        _measure(store, np.random.default_rng(1), dim, queries)
        after = current_rss_mb()
    finally:
        store.close()
    return {"libraries_loaded": round(before), "after_searches": round(after),
            "index": round(after - before)}


def serving_rss(backend: str, root: Path, dim: int, queries: int) -> dict:
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_serving_rss, (backend, root, dim, queries))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark a troly vector store")
    parser.add_argument("--n", type=int, default=10_000, help="points to insert")
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend", choices=("edge", "local", "memory"), default="edge")
    parser.add_argument("--optimize", action="store_true", help="also measure after optimize()")
    parser.add_argument("--dir", type=Path, help="where to build the index (default: a temp dir)")
    parser.add_argument("--text-chars", type=int, default=0,
                        help="length of each point's text payload (default: a few characters)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="troly-bench-") as tmp:
        root = args.dir or Path(tmp)
        result = bench_store(_factory(args.backend, root), args.n, args.dim, args.queries,
                             optimize=args.optimize, text_chars=args.text_chars)
        if args.backend != "memory":
            result["serving_rss_mb"] = serving_rss(args.backend, root, args.dim, args.queries)
    print(json.dumps({"backend": args.backend, **result}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
