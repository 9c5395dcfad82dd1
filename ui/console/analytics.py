"""The console's numbers for a time window: questions by day / channel / route, latency
p50/p95, feedback and dossier lookups per day, and the unanswered questions grouped by their
normalised form. Pure functions over the records ui.console.queries returns."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from assistant.core.percentiles import nearest_rank
from ui.console.normalize import content_words, jaccard
from ui.console.queries import ConsoleQueries, FeedbackFact, LookupFact, Window
from ui.storage_models import ExchangeRecord

# Answers from documents below this confidence count as "low confidence" (the refusal
# threshold is 0.35: between the two, troly answered but was not sure).
LOW_CONFIDENCE = 0.5
DOCUMENT_ROUTES = ("regulation", "tthc", "curated")
# Two questions whose topic words overlap this much (Jaccard) are one group.
GROUP_SIMILARITY = 0.6
MAX_EXAMPLES = 5


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile, rounded to 0.1 (0 for no values)."""
    return round(nearest_rank(values, q) or 0.0, 1)


def is_unanswered(record: ExchangeRecord) -> str:
    """'refused', 'low_confidence' or '' (dossier lookups and greetings never count)."""
    if record.route in ("dossier_status", "greeting") or record.curated_id:
        return ""
    if record.refused:
        return "refused"
    if record.route in DOCUMENT_ROUTES and record.confidence < LOW_CONFIDENCE:
        return "low_confidence"
    return ""


@dataclass
class UnansweredGroup:
    key: str
    words: set[str]
    question: str  # the newest example
    count: int = 0
    refused: int = 0
    low_confidence: int = 0
    first_at: str = ""
    last_at: str = ""
    examples: list[str] = field(default_factory=list)

    def add(self, record: ExchangeRecord, why: str) -> None:
        self.count += 1
        self.refused += why == "refused"
        self.low_confidence += why == "low_confidence"
        self.first_at = min(self.first_at or record.created_at, record.created_at)
        if record.created_at >= self.last_at:
            self.last_at, self.question = record.created_at, record.question
        if record.question not in self.examples and len(self.examples) < MAX_EXAMPLES:
            self.examples.append(record.question)

    def public(self) -> dict[str, Any]:
        return {"key": self.key, "question": self.question, "count": self.count,
                "refused": self.refused, "low_confidence": self.low_confidence,
                "first_at": self.first_at, "last_at": self.last_at, "examples": self.examples}


def group_unanswered(records: list[ExchangeRecord]) -> list[UnansweredGroup]:
    """Groups of refused / low-confidence questions, most frequent first, then newest. A question
    joins the first group whose topic words overlap it by GROUP_SIMILARITY (Jaccard)."""
    groups: list[UnansweredGroup] = []
    for record in sorted(records, key=lambda r: r.created_at, reverse=True):
        why = is_unanswered(record)
        if not why:
            continue
        words = content_words(record.question)
        wordset = set(words) or {record.question.lower().strip()}
        target = next((g for g in groups if g.words == wordset
                       or jaccard(g.words, wordset) >= GROUP_SIMILARITY), None)
        if target is None:
            target = UnansweredGroup(" ".join(sorted(wordset)), wordset, record.question)
            groups.append(target)
        target.add(record, why)
    return sorted(groups, key=lambda g: (-g.count, _desc(g.last_at)))


def _desc(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def _day(timestamp: str) -> str:
    return timestamp[:10]


def build_report(window: Window, exchanges: list[ExchangeRecord], feedback: list[FeedbackFact],
                 lookups: list[LookupFact], max_groups: int = 50) -> dict[str, Any]:
    per_day: dict[str, dict[str, Any]] = {
        d: {"day": d, "questions": 0, "by_channel": Counter(), "by_route": Counter(),
            "unanswered": 0, "feedback": Counter({"up": 0, "down": 0}), "dossier": Counter(),
            "latencies": []} for d in window.days}
    for r in exchanges:
        day = per_day.get(_day(r.created_at))
        if day is None:
            continue
        day["questions"] += 1
        day["by_channel"][r.channel or "unknown"] += 1
        day["by_route"][r.route] += 1
        day["unanswered"] += bool(is_unanswered(r))
        total = (r.timings_ms or {}).get("total")
        if total is not None:
            day["latencies"].append(float(total))
    for f in feedback:
        if _day(f.created_at) in per_day:
            per_day[_day(f.created_at)]["feedback"][f.rating] += 1
    for lookup in lookups:
        if _day(lookup.ts) in per_day:
            per_day[_day(lookup.ts)]["dossier"][lookup.outcome] += 1
    days = [_public_day(d) for d in per_day.values()]
    latencies = [v for d in per_day.values() for v in d["latencies"]]
    groups = group_unanswered(exchanges)
    return {
        "from": window.start, "to": window.end, "days": days,
        "totals": {
            "questions": sum(d["questions"] for d in days),
            "unanswered": sum(d["unanswered"] for d in days),
            "by_channel": _sum(d["by_channel"] for d in days),
            "by_route": _sum(d["by_route"] for d in days),
            "feedback": _sum(d["feedback"] for d in days),
            "dossier_lookups": _sum(d["dossier_lookups"] for d in days),
            "latency_p50_ms": percentile(latencies, 50),
            "latency_p95_ms": percentile(latencies, 95),
        },
        "unanswered_groups": [g.public() for g in groups[:max_groups]],
        "unanswered_group_count": len(groups),
        "low_confidence_below": LOW_CONFIDENCE,
    }


def _public_day(d: dict[str, Any]) -> dict[str, Any]:
    return {"day": d["day"], "questions": d["questions"], "by_channel": dict(d["by_channel"]),
            "by_route": dict(d["by_route"]), "unanswered": d["unanswered"],
            "feedback": {"up": d["feedback"]["up"], "down": d["feedback"]["down"]},
            "dossier_lookups": dict(d["dossier"]),
            "latency_p50_ms": percentile(d["latencies"], 50),
            "latency_p95_ms": percentile(d["latencies"], 95)}


def _sum(parts) -> dict[str, int]:  # noqa: ANN001 - an iterable of count dicts
    total: Counter = Counter()
    for part in parts:
        total.update(part)
    return dict(total)


def analytics(queries: ConsoleQueries, days: int) -> dict[str, Any]:
    """The report for the last `days` days (today included)."""
    window = Window.last_days(days)
    report = build_report(window, queries.exchanges(window), queries.feedback(window),
                          queries.lookups(window))
    report["window_days"] = days
    return report
