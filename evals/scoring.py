"""Turn per-question outcomes into the report's numbers: retrieval metrics overall and per kind,
answer metrics, latency percentiles per stage (the JSON shape of `troly eval --json`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.core.domain import Answer
from evals import metrics
from evals.datasets import EvalQuestion

RETRIEVAL_KS = (1, 5, 10)
REFUSAL_ROUTES = frozenset({"out_of_scope"})


@dataclass
class QuestionOutcome:
    """What one system did with one question."""

    question: EvalQuestion
    ranked: list[str] = field(default_factory=list)  # ranked unique unit ids
    stage_ms: dict[str, float] = field(default_factory=dict)  # e.g. retrieval, answer, route
    answer: Answer | None = None
    error: str = ""


def is_refusal(answer: Answer) -> bool:
    return bool(answer.refused) or answer.route in REFUSAL_ROUTES


def retrieval_block(outcomes: Sequence[QuestionOutcome], max_k: int = 10) -> dict[str, Any]:
    """R@1/5/10, MRR@10, nDCG@10 over questions that have relevant units, plus the Recall@k curve."""
    scored = [o for o in outcomes if o.question.relevant]
    block: dict[str, Any] = {"n": len(scored)}
    for k in RETRIEVAL_KS:
        block[f"R@{k}"] = metrics.mean(metrics.recall_at_k(o.ranked, o.question.relevant, k) for o in scored)
    block["MRR@10"] = metrics.mean(metrics.mrr_at_k(o.ranked, o.question.relevant, 10) for o in scored)
    block["nDCG@10"] = metrics.mean(metrics.ndcg_at_k(o.ranked, o.question.relevant, 10) for o in scored)
    block["recall_curve"] = [
        metrics.mean(metrics.recall_at_k(o.ranked, o.question.relevant, k) for o in scored)
        for k in range(1, max(max_k, 10) + 1)
    ]
    return block


def answer_block(outcomes: Sequence[QuestionOutcome]) -> dict[str, Any]:
    """Fact recall, citation precision, refusal / false-refusal rates, routing accuracy."""
    answered = [o for o in outcomes if o.answer is not None]
    with_facts = [o for o in answered if o.question.answer_facts]
    cited = [o for o in answered if o.question.relevant and not is_refusal(o.answer)]
    routed = [o for o in answered if o.question.route]
    return {
        "n": len(answered),
        "fact_recall": metrics.mean(
            metrics.fact_recall(o.answer.answer, o.question.answer_facts) for o in with_facts
        ),
        "citation_precision": metrics.mean(
            metrics.citation_precision([c.unit_id for c in o.answer.citations], o.question.relevant)
            for o in cited
        ),
        "refusal_rate": metrics.rate(
            is_refusal(o.answer) for o in answered if o.question.kind == "out_of_scope"
        ),
        "false_refusal_rate": metrics.rate(
            is_refusal(o.answer) for o in answered if o.question.answerable
        ),
        "routing_accuracy": metrics.routing_accuracy(
            [o.answer.route for o in routed], [o.question.route for o in routed]
        ),
    }


def latency_block(outcomes: Sequence[QuestionOutcome]) -> dict[str, dict[str, float | None]]:
    per_stage: dict[str, list[float]] = defaultdict(list)
    for o in outcomes:
        for stage, ms in o.stage_ms.items():
            per_stage[stage].append(ms)
    return {stage: metrics.latency_summary(v) for stage, v in sorted(per_stage.items())}


def summarize(outcomes: Sequence[QuestionOutcome], max_k: int = 10) -> dict[str, Any]:
    """The issue's JSON shape for one system: overall, by_kind, answers, latency_ms."""
    by_kind: dict[str, list[QuestionOutcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.question.kind].append(o)
    has_answers = any(o.answer is not None for o in outcomes)
    kinds = {}
    for kind, group in sorted(by_kind.items()):
        entry = retrieval_block(group, max_k)
        entry.pop("recall_curve")
        entry["questions"] = len(group)
        if has_answers:
            entry.update({k: v for k, v in answer_block(group).items() if k != "n"})
        kinds[kind] = entry
    return {
        "overall": retrieval_block(outcomes, max_k),
        "by_kind": kinds,
        "answers": answer_block(outcomes) if has_answers else {},
        "latency_ms": latency_block(outcomes),
        "errors": sum(bool(o.error) for o in outcomes),
    }
