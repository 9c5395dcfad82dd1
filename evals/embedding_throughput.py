"""Passage throughput of the dense embedder backends on the project's own chunks (issue 13).

Every configuration embeds the same sample of real chunks (the project's loaders and chunker on
a corpus, a seeded random sample) the way the indexing pipeline does: sorted by length across
the sample, EMBED_BATCH texts per `embed_passages` call, each backend sorting again inside the
call. Rates are per CPU-second of this process (all threads), because the machine is shared:
wall time mostly measures the other jobs. Real tokens are what the model must see (prompt and
special tokens included); padded tokens are what the batches actually computed.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.pipeline import EMBED_BATCH

BACKENDS = ("onnx", "onnx-int8", "torch")  # onnx-int8 = TROLY_EMBEDDING_QUANTIZED=passages


@dataclass
class Run:
    """One measured configuration."""

    backend: str
    threads: int
    batch: int
    wall: float
    cpu: float
    tokens: int
    padded: int
    load: tuple[float, float]  # 1-minute load average before and after
    cosine: tuple[float, float] = (1.0, 1.0)  # min / mean to the reference vectors
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), repr=False)

    @property
    def tokens_per_cpu_s(self) -> float:
        return self.tokens / self.cpu


def sample_chunks(corpus: Path, counter: Any, size: int, seed: int) -> list[str]:
    """`size` embed texts drawn (seeded) from every chunk of the files under `corpus`."""
    from indexing.chunking import chunk_document
    from indexing.loaders import iter_files, load_path

    texts: list[str] = []
    for path in iter_files([corpus]):
        for number, document in enumerate(load_path(path)):
            texts += [c.embed_text for c in chunk_document(document, f"{path.name}-{number}", counter)]
    return random.Random(seed).sample(texts, min(size, len(texts)))


def measure(backend: str, embedder: Any, texts: Sequence[str], tokens: int, threads: int,
            batch: int, padded: Callable[[], int]) -> Run:  # fmt: skip
    """Embed `texts` as the pipeline does (after a warm-up call) and time it."""
    embedder.embed_passages(list(texts[:2]))  # loads, first-call allocations
    ordered = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    vectors = np.zeros((len(texts), embedder.dim), dtype=np.float32)
    before_padded, load = padded(), os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(ordered), EMBED_BATCH):
        rows = ordered[start : start + EMBED_BATCH]
        vectors[rows] = embedder.embed_passages([texts[i] for i in rows])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return Run(backend, threads, batch, wall, cpu, tokens, padded() - before_padded,
               (load, os.getloadavg()[0]), vectors=vectors)  # fmt: skip


class Grid:
    """Runs of several configurations on one sample; torch reuses one loaded model (its thread
    count is process-wide), ONNX opens a session per configuration."""

    def __init__(self, model_dir: Path, torch_embedder: Any, texts: Sequence[str], tokens: int,
                 queries: Sequence[str]) -> None:  # fmt: skip
        self.model_dir, self.torch_embedder = model_dir, torch_embedder
        self.texts, self.tokens, self.queries = texts, tokens, queries
        self.torch_padded = count_torch_padding(torch_embedder)
        self.runs: list[Run] = []
        self.latencies: dict[tuple[str, int], tuple[float, float]] = {}

    def measure(self, backend: str, threads: int, batch: int) -> Run:
        import torch

        torch.set_num_threads(threads)
        if backend == "torch":
            self.torch_embedder.batch_size = batch
            embedder, padded = self.torch_embedder, self.torch_padded
        else:
            quantized = "passages" if backend == "onnx-int8" else "none"
            embedder = OnnxEmbedder(self.model_dir, batch_size=batch, threads=threads, quantized=quantized)
            padded = lambda: embedder.token_stats().get("padded_tokens", 0)  # noqa: E731
        run = measure(backend, embedder, self.texts, self.tokens, threads, batch, padded)
        self.runs.append(run)
        if (backend, threads) not in self.latencies:
            self.latencies[backend, threads] = query_latency(embedder, self.queries)
        return run

    def report(self) -> str:
        """Both tables, cosines taken against the first torch run (else the first run)."""
        reference = next((r.vectors for r in self.runs if r.backend == "torch"), self.runs[0].vectors)
        compare(self.runs, reference)
        lines = ["", table(self.runs, len(self.texts)), "",
                 "| backend | threads | query wall p50 ms | query CPU p50 ms |", "|---|---|---|---|"]  # fmt: skip
        lines += [f"| {backend} | {threads} | {wall:.1f} | {cpu:.1f} |"
                  for (backend, threads), (wall, cpu) in self.latencies.items()]  # fmt: skip
        return "\n".join(lines)


def header() -> str:
    """Commit, date, load average and torch's threading, for the record."""
    import subprocess

    import torch

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()  # fmt: skip
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"commit {commit}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average "
            f"{load}, torch {torch.__version__} (intra-op {torch.get_num_threads()}, inter-op "
            f"{torch.get_num_interop_threads()})")


def ceiling(config: dict[str, Any], runs: Sequence[Run], chunks: int) -> str:
    """The fp32 ceiling of this CPU for this model, from its GEMM speed on one thread."""
    length = min(r.padded for r in runs) / chunks  # mean padded length, tightest run
    gflops, flops = gemm_gflops_per_cpu_s(config), flops_per_token(config, length)
    return (f"ceiling: fp32 GEMM {gflops:.1f} GFLOP per CPU-second (1 thread, model shapes), "
            f"{flops / 1e6:.1f} MFLOP per token computed -> at most {gflops * 1e9 / flops:,.0f} "
            "padded fp32 tokens per CPU-second")


def count_torch_padding(embedder: Any) -> Callable[[], int]:
    """Padded tokens computed by a SentenceTransformerEmbedder so far (counted from the
    attention masks of the batches it builds; the bench wraps the loaded model's preprocess)."""
    model = embedder._load()
    total = [0]
    original = model.preprocess

    def counting(*args: Any, **kwargs: Any) -> Any:
        features = original(*args, **kwargs)
        total[0] += int(np.prod(features["attention_mask"].shape))
        return features

    model.preprocess = counting
    return lambda: total[0]


def query_latency(embedder: Any, queries: Sequence[str]) -> tuple[float, float]:
    """(wall p50, CPU p50) in ms of `embed_query`, after one warm-up query."""
    embedder.embed_query(queries[0])
    walls, cpus = [], []
    for query in queries:
        started, cpu = time.perf_counter(), time.process_time()
        embedder.embed_query(query)
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return float(np.median(walls)), float(np.median(cpus))


def table(runs: Sequence[Run], chunks: int) -> str:
    """The measured runs as a Markdown table (tokens = real tokens of the sample)."""
    lines = [
        "| backend | threads | batch | tok/CPU-s | padded tok/CPU-s | padding | CPU s | wall s "
        "| chunks/CPU-s | load avg | cosine to torch min |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(
            f"| {r.backend} | {r.threads} | {r.batch} | {r.tokens / r.cpu:,.0f} | "
            f"{r.padded / r.cpu:,.0f} | {r.padded / r.tokens - 1:+.1%} | {r.cpu:.1f} | "
            f"{r.wall:.1f} | {chunks / r.cpu:.2f} | {r.load[0]:.1f}→{r.load[1]:.1f} | "
            f"{r.cosine[0]:.5f} |"
        )
    return "\n".join(lines)


def compare(runs: Sequence[Run], reference: np.ndarray) -> None:
    """Fill each run's cosine (min, mean) to `reference` (unit vectors, same rows)."""
    for r in runs:
        cosines = np.sum(r.vectors * reference, axis=1)
        r.cosine = (float(cosines.min()), float(cosines.mean()))


def flops_per_token(config: dict[str, Any], padded_length: float) -> float:
    """Multiply-adds x 2 of one token through a BERT encoder (the dense layers, plus attention
    scores and weighted sums over a sequence of `padded_length`); embeddings, softmax, layer norm
    and GELU are left out, so the ceiling derived from it is generous."""
    hidden, ffn, layers = config["hidden_size"], config["intermediate_size"], config["num_hidden_layers"]
    dense = 4 * hidden * hidden + 2 * hidden * ffn
    attention = 2 * padded_length * hidden
    return 2.0 * layers * (dense + attention)


def gemm_gflops_per_cpu_s(config: dict[str, Any], rows: int = 8192, repeats: int = 4) -> float:
    """fp32 matrix products of the encoder's shapes on one torch thread, GFLOP per CPU-second:
    what one core of this CPU can do at best (MKL / oneDNN), the ceiling of any fp32 backend."""
    import torch

    hidden, ffn = config["hidden_size"], config["intermediate_size"]
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        done, cpu = 0.0, 0.0
        for inner, outer in ((hidden, hidden), (hidden, ffn), (ffn, hidden)):
            a, b = torch.randn(rows, inner), torch.randn(inner, outer)
            torch.matmul(a, b)  # first-call allocations
            started = time.process_time()
            for _ in range(repeats):
                torch.matmul(a, b)
            cpu += time.process_time() - started
            done += 2.0 * rows * inner * outer * repeats
    finally:
        torch.set_num_threads(previous)
    return done / cpu / 1e9
