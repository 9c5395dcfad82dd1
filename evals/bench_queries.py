"""Query benchmark: warm, single client, retrieval (`ChatService.search`) and end-to-end answer
(`ChatService.ask`) latency percentiles, plus the process's peak RSS."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from assistant.core.interfaces import ChatService
from evals.machine import peak_rss_mb
from evals.metrics import latency_summary

log = logging.getLogger(__name__)

PERCENTILES = (50, 95, 99)


def time_calls(call: Callable[[str], object], questions: Sequence[str]) -> tuple[list[float], int]:
    """Milliseconds per call, and how many calls raised (those are not timed)."""
    latencies: list[float] = []
    errors = 0
    for question in questions:
        start = time.perf_counter()
        try:
            call(question)
        except Exception:
            log.warning("benchmark query failed", extra={"question": question[:80]}, exc_info=True)
            errors += 1
            continue
        latencies.append((time.perf_counter() - start) * 1000.0)
    return latencies, errors


def bench_queries(
    service: ChatService,
    questions: Sequence[str],
    *,
    n_search: int = 200,
    n_answer: int = 100,
    warmup: int = 5,
    audience: str = "citizen",
    limit: int = 10,
) -> dict[str, Any]:
    """Warm up (model load, caches), then time search and ask on distinct real questions."""
    if not questions:
        raise ValueError("bench_queries needs questions")
    started = time.perf_counter()
    for question in questions[:warmup]:
        service.ask(question, audience=audience)
    warm_s = time.perf_counter() - started
    pool = list(questions[warmup:]) or list(questions)
    search_q = (pool * (n_search // len(pool) + 1))[:n_search]
    answer_q = (pool[::-1] * (n_answer // len(pool) + 1))[:n_answer]
    search_ms, search_errors = time_calls(lambda q: service.search(q, audience=audience, limit=limit), search_q)
    answer_ms, answer_errors = time_calls(lambda q: service.ask(q, audience=audience), answer_q)
    return {
        "warmup_s": round(warm_s, 2),
        "retrieval": {"n": len(search_ms), "errors": search_errors,
                      "latency_ms": latency_summary(search_ms, PERCENTILES)},
        "answer": {"n": len(answer_ms), "errors": answer_errors,
                   "latency_ms": latency_summary(answer_ms, PERCENTILES)},
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
