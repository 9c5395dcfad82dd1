"""Evaluation metrics over unit ids (retrieval), answers (facts, citations, refusals, routing)
and latencies. Pure functions on plain values, so they are easy to check by hand."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from assistant.core.percentiles import percentile

_SPACES = re.compile(r"\s+")


def unique_in_order(ids: Iterable[str]) -> list[str]:
    """Ranked unique ids: a unit retrieved through several chunks counts once, at its best rank."""
    return list(dict.fromkeys(i for i in ids if i))


def recall_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant units found in the first k ranked units."""
    gold = set(relevant)
    if not gold:
        raise ValueError("recall needs at least one relevant unit")
    return len(gold.intersection(ranked[:k])) / len(gold)


def mrr_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """Reciprocal rank of the first relevant unit within the first k, 0 when none."""
    gold = set(relevant)
    for rank, unit in enumerate(ranked[:k], start=1):
        if unit in gold:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int = 10) -> float:
    """Binary-relevance nDCG@k (log2 discount)."""
    gold = set(relevant)
    if not gold:
        raise ValueError("nDCG needs at least one relevant unit")
    dcg = sum(1.0 / math.log2(rank + 1) for rank, u in enumerate(ranked[:k], 1) if u in gold)
    ideal = sum(1.0 / math.log2(rank + 1) for rank in range(1, min(len(gold), k) + 1))
    return dcg / ideal


def normalize_for_match(text: str) -> str:
    """NFC, casefold and collapsed whitespace: how answer facts are compared."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).casefold()).strip()


def fact_recall(answer: str, facts: Sequence[str]) -> float:
    """Share of the expected fact strings that occur in the answer (after NFC and casefold)."""
    if not facts:
        raise ValueError("fact recall needs at least one fact")
    haystack = normalize_for_match(answer)
    return sum(normalize_for_match(f) in haystack for f in facts) / len(facts)


def citation_precision(cited: Sequence[str], relevant: Iterable[str]) -> float | None:
    """Share of the (unique) cited units that are relevant; None when nothing was cited."""
    units = unique_in_order(cited)
    if not units:
        return None
    gold = set(relevant)
    return sum(u in gold for u in units) / len(units)


def rate(flags: Iterable[bool]) -> float | None:
    """Share of True values; None for an empty sequence (so 'no data' is never shown as 0)."""
    values = list(flags)
    return sum(values) / len(values) if values else None


def routing_accuracy(predicted: Sequence[str], expected: Sequence[str]) -> float | None:
    if len(predicted) != len(expected):
        raise ValueError("predicted and expected routes differ in length")
    return rate(p == e for p, e in zip(predicted, expected))


def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the non-None values; None when there are none."""
    kept = [v for v in values if v is not None]
    return float(sum(kept) / len(kept)) if kept else None


def latency_summary(values: Sequence[float], qs: Sequence[int] = (50, 95)) -> dict[str, float | None]:
    """{'p50': ..., 'p95': ...} in the unit of the input (milliseconds here)."""
    return {f"p{q}": percentile(values, q) for q in qs}
