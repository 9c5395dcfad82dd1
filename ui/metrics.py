"""Prometheus metrics, one registry per app (so tests can build many apps): HTTP requests and
latencies, answer stage timings (from Answer.timings_ms), answers, dossier lookups, feedback,
indexing jobs and the index size."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from assistant.core.domain import Answer

log = logging.getLogger(__name__)

CONTENT_TYPE = CONTENT_TYPE_LATEST
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class Metrics:
    def __init__(self, index_size: Callable[[], int]) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "troly_http_requests", "HTTP requests", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "troly_http_request_duration_seconds", "HTTP request latency", ["method", "route"],
            buckets=_LATENCY_BUCKETS, registry=r,
        )
        self.stages = Histogram(
            "troly_answer_stage_seconds", "Time per answer stage (retrieval, answer, total...)",
            ["stage"], buckets=_LATENCY_BUCKETS, registry=r,
        )
        self.answers = Counter(
            "troly_answers", "Answers given", ["channel", "route", "refused"], registry=r
        )
        self.dossier = Counter("troly_dossier_lookups", "Dossier lookups", ["outcome"], registry=r)
        self.feedback = Counter("troly_feedback", "Feedback received", ["rating"], registry=r)
        self.jobs = Counter("troly_index_jobs", "Indexing jobs submitted", ["kind"], registry=r)
        self.index_chunks = Gauge("troly_index_chunks", "Chunks in the index", registry=r)
        self.index_chunks.set_function(lambda: _safe(index_size))
        self.llm_degraded = Gauge("troly_llm_degraded", "1 while the LLM is skipped", registry=r)
        self.llm_in_flight = Gauge("troly_llm_in_flight", "LLM calls running", registry=r)
        self.llm_fallbacks = Gauge(
            "troly_llm_fallbacks", "Extractive answers instead of the LLM since start",
            ["reason"], registry=r,
        )

    def observe_llm(self, snapshot: dict) -> None:
        """The LLM gate's state (assistant.answering.llm_gate.LlmGate.snapshot)."""
        self.llm_degraded.set(1.0 if snapshot.get("state") == "degraded" else 0.0)
        self.llm_in_flight.set(float(snapshot.get("in_flight", 0)))
        for reason, count in snapshot.get("fallbacks", {}).items():
            self.llm_fallbacks.labels(reason).set(float(count))

    def observe_answer(self, answer: Answer, channel: str) -> None:
        self.answers.labels(channel, answer.route, str(answer.refused).lower()).inc()
        for stage, ms in answer.timings_ms.items():
            self.stages.labels(stage).observe(max(0.0, float(ms)) / 1000.0)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _safe(index_size: Callable[[], int]) -> float:
    try:
        return float(index_size())
    except Exception:  # noqa: BLE001 - a scrape must not fail because the store is busy
        log.warning("index size unavailable", exc_info=True)
        return math.nan


class MetricsMiddleware:
    """Pure ASGI middleware (streams pass through untouched): counts requests and times them,
    labelled by route template, not raw path, so label cardinality stays bounded."""

    def __init__(self, app: Callable, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route = scope.get("route")
            label = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "")
            self.metrics.requests.labels(method, label, str(status["code"])).inc()
            self.metrics.latency.labels(method, label).observe(time.perf_counter() - start)
