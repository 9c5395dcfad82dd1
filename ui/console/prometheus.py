"""The console's numbers in /metrics, read from the database at scrape time, so they equal the
analytics endpoint's and survive restarts: answers by channel / route / refused, feedback by
rating, dossier lookups by outcome (all time), and today's latency p50 / p95 and unanswered."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from ui.console.analytics import build_report
from ui.console.queries import ConsoleQueries, Window

log = logging.getLogger(__name__)


class ConsoleCollector(Collector):
    def __init__(self, queries: ConsoleQueries) -> None:
        self.queries = queries

    def collect(self) -> Iterator:
        try:
            yield from self._families()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database is busy
            log.warning("console metrics unavailable", exc_info=True)

    def _families(self) -> Iterator:
        exchanges = CounterMetricFamily(
            "troly_exchanges", "Questions answered and stored, by channel, route and refusal",
            labels=["channel", "route", "refused"])
        for channel, route, refused, n in self.queries.exchange_counts():
            exchanges.add_metric([channel or "unknown", route, str(bool(refused)).lower()], n)
        yield exchanges
        feedback = CounterMetricFamily("troly_feedback_stored", "Feedback stored, by rating",
                                       labels=["rating"])
        for rating, n in self.queries.feedback_counts():
            feedback.add_metric([rating], n)
        yield feedback
        lookups = CounterMetricFamily("troly_dossier_lookups_audited",
                                      "Dossier lookups in the audit log, by outcome",
                                      labels=["outcome"])
        for outcome, n in self.queries.lookup_counts():
            lookups.add_metric([outcome], n)
        yield lookups
        window = Window.last_days(1)
        today = build_report(window, self.queries.exchanges(window), [], [])["totals"]
        latency = GaugeMetricFamily("troly_answer_latency_today_ms",
                                    "Answer latency today (UTC), by quantile", labels=["quantile"])
        latency.add_metric(["0.5"], today["latency_p50_ms"])
        latency.add_metric(["0.95"], today["latency_p95_ms"])
        yield latency
        yield GaugeMetricFamily("troly_unanswered_today", "Refused or low-confidence questions "
                                "today (UTC)", value=today["unanswered"])
