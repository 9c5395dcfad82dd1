"""`troly bench`: indexing, warm query latency, store scale and HTTP load, in one JSON result
with the machine's facts, and a one-screen summary."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.settings import Settings
from evals.machine import machine_facts, one_line
from evals.quantization_quality import quality_lines

log = logging.getLogger(__name__)

DEFAULT_PARTS = ("indexing", "queries", "scale", "load")
PARTS = (*DEFAULT_PARTS, "ocr")  # ocr: `--only ocr` (needs Tesseract, about a minute)
LOAD_ENV = {"TROLY_CITIZEN_RATE_PER_MINUTE": "0"}  # the load test measures the server, not the limiter


@dataclass
class BenchOptions:
    corpus: list[Path] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # real phrasing for queries and load
    only: tuple[str, ...] = DEFAULT_PARTS
    scale: tuple[int, ...] = (10_000, 100_000)
    n_search: int = 200
    n_answer: int = 100
    load_clients: int = 20
    load_seconds: float = 60.0
    work_dir: Path | None = None
    quality: bool = False  # re-measure the quantised-vs-fp32 quality table (hours)
    shared_data: Path | None = None  # ALQAC and the health corpus, for `quality`


def run_indexing(settings: Settings, options: BenchOptions, work_dir: Path) -> dict[str, Any]:
    """From scratch, unchanged and one-changed runs, with the quantised-vs-fp32 quality table:
    measured when `options.quality`, else the last recorded one."""
    from evals import quantization_quality as quality
    from evals.bench_indexing import bench_indexing

    result = bench_indexing(settings, options.corpus, work_dir / "indexing")
    try:
        if options.quality:
            if options.shared_data is None:
                raise ValueError("the quality run needs the shared data folder")
            datasets = quality.default_datasets(options.shared_data)
            result["quantization_quality"] = quality.measure(settings, datasets, work_dir)
        else:
            result["quantization_quality"] = quality.recorded()
    except Exception as exc:  # noqa: BLE001 - keep the indexing numbers
        log.exception("quality run failed")
        result["quantization_quality"] = {"error": f"{type(exc).__name__}: {exc}"}
    return result


def run_queries(settings: Settings, options: BenchOptions) -> dict[str, Any]:
    from assistant.app.troly import open_troly
    from evals.bench_queries import bench_queries

    with open_troly(settings, dossier=False) as troly:  # closed: the load test's server needs the index lock
        result = bench_queries(troly.chat, options.questions, n_search=options.n_search, n_answer=options.n_answer)
        result["index_chunks"] = troly.store.count()
        return result


def run_scale(settings: Settings, options: BenchOptions, work_dir: Path) -> dict[str, Any]:
    from evals.bench_store import bench_store
    from indexing.store.factory import open_store

    results = {}
    for n in options.scale:
        target = work_dir / f"scale-{n}"

        def factory(path: Path = target) -> Any:
            return open_store(settings.model_copy(update={"data_dir": path, "qdrant_url": ""}))

        log.info("scale benchmark", extra={"points": n})
        results[str(n)] = bench_store(factory, n, optimize=True)
    return results


def run_load(settings: Settings, options: BenchOptions, work_dir: Path) -> dict[str, Any]:
    from evals.bench_load import run_load as load
    from evals.serve_process import serve_subprocess

    def send(http: Any, question: str) -> Any:
        return http.post("/v1/chat", json={"message": question, "audience": "citizen"})

    with serve_subprocess(settings.data_dir, log_path=work_dir / "serve.log", env=LOAD_ENV) as server:
        import httpx

        with httpx.Client(base_url=server.base_url, timeout=120) as http:
            for question in options.questions[:3]:  # warm the model inside the server
                send(http, question)
        result = load(send, server.base_url, options.questions,
                      clients=options.load_clients, seconds=options.load_seconds)
        rss = server.peak_rss_mb()
        result["server_peak_rss_mb"] = round(rss, 1) if rss is not None else None
    result["endpoint"] = "POST /v1/chat (JSON, citizen)"
    return result


def run_bench(settings: Settings, options: BenchOptions) -> dict[str, Any]:
    """Runs the selected parts; a part that fails is reported with its error, the rest still run."""
    from evals.ocr_accuracy import run_ocr_bench

    result: dict[str, Any] = {"machine": machine_facts(), "data_dir": str(settings.data_dir)}
    with tempfile.TemporaryDirectory(prefix="troly-bench-", dir=options.work_dir) as tmp:
        work = Path(tmp)
        steps = {
            "indexing": lambda: run_indexing(settings, options, work),
            "queries": lambda: run_queries(settings, options),
            "scale": lambda: run_scale(settings, options, work),
            "load": lambda: run_load(settings, options, work),
            "ocr": run_ocr_bench,
        }
        for part in PARTS:
            if part not in options.only:
                continue
            log.info("benchmark part", extra={"part": part})
            try:
                result[part] = steps[part]()
            except Exception as exc:  # noqa: BLE001 - report it and go on
                log.exception("benchmark part failed", extra={"part": part})
                result[part] = {"error": f"{type(exc).__name__}: {exc}"}
    return result


def _ms(block: dict[str, Any] | None, key: str = "latency_ms") -> str:
    lat = (block or {}).get(key) or {}
    return " / ".join(f"{lat[p]:.0f}" if lat.get(p) is not None else "—" for p in ("p50", "p95", "p99") if p in lat)


def _scale_line(s: Any) -> str:
    if not isinstance(s, dict):
        return str(s)
    parts = [f"{s.get('store')} insert {s.get('insert_s')} s"]
    if "optimize_s" in s:
        parts.append(f"optimise {s['optimize_s']} s")
    for phase in ("as_inserted", "optimized"):
        hybrid = (s.get(phase) or {}).get("hybrid_ms")
        if hybrid:
            parts.append(f"hybrid p50/p95 {phase} {hybrid['p50']}/{hybrid['p95']} ms")
    return ", ".join(parts)


def indexing_details(run: dict[str, Any]) -> list[str]:
    """Tokens/s, CPU and the per-stage CPU profile of the from-scratch run."""
    profile = run.get("profile") or {}
    lines = [
        f"  tokens {run.get('tokens')}: {run.get('tokens_per_s')} tokens/s wall, "
        f"{run.get('tokens_per_cpu_s')} tokens/CPU-s, padding +{run.get('padding_overhead')}; "
        f"process CPU {run.get('cpu_s')} s → on idle cores ~{run.get('idle_cores_estimate_s')} s "
        f"({run.get('idle_cores_chunks_per_s')} chunks/s); load average {profile.get('load_average')}"
    ]
    stages = profile.get("stage_cpu_s") or {}
    lines += [f"  {name:<44} {cpu:9.2f} CPU-s" for name, cpu in sorted(stages.items(), key=lambda kv: -kv[1])]
    return lines


def format_summary(result: dict[str, Any]) -> str:
    """One screen: what ran, on which machine, and the headline numbers."""
    lines = [f"troly bench — {one_line(result['machine'])}", f"data dir: {result['data_dir']}"]
    idx = result.get("indexing")
    if idx:
        lines.append("Indexing: " + (idx.get("error") or (
            f"from scratch {idx['from_scratch']['wall_s']} s ({idx['from_scratch']['chunks']} chunks, "
            f"{idx['from_scratch']['chunks_per_s']} chunks/s); unchanged {idx['unchanged']['wall_s']} s; "
            f"one changed file {idx['one_changed']['wall_s']} s")))
    if idx and not idx.get("error"):
        lines += indexing_details(idx["from_scratch"])
        lines += quality_lines(idx.get("quantization_quality"))
    q = result.get("queries")
    if q:
        lines.append("Queries (warm, 1 client) p50/p95/p99 ms: " + (q.get("error") or (
            f"retrieval {_ms(q['retrieval'])}; answer {_ms(q['answer'])}; peak RSS {q['peak_rss_mb']} MB")))
    for n, s in (result.get("scale") or {}).items():
        lines.append(f"Scale {n}: {_scale_line(s)}")
    load = result.get("load")
    if load:
        lines.append("Load: " + (load.get("error") or (
            f"{load['clients']} clients × {load['seconds']} s: {load['requests_per_s']} req/s, "
            f"p50/p95/p99 {_ms(load)} ms, errors {load['errors']}, server peak RSS {load['server_peak_rss_mb']} MB")))
    ocr = result.get("ocr")
    if ocr:
        lines.append("OCR: " + (ocr.get("error") or "; ".join(
            f"{s['style']} {s['char_accuracy']:.2%} {s['seconds_per_page']} s/page"
            for s in ocr["styles"])))
    for t in (ocr or {}).get("tables", []):
        lines.append(f"OCR table: {t['style']} cells {t['cells_exact']:.2%} exact, "
                     f"{t['cell_char_accuracy']:.2%} chars, {t['seconds_per_page']} s/page")
    return "\n".join(lines)
