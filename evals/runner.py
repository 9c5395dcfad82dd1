"""Run question sets through retrieval systems (and the answering service) and score them.

The runner only sees two small Protocols, so the same code evaluates the real pipeline, its
variants, the llama-index baseline and the fakes in unit tests."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from tqdm import tqdm

from assistant.core.domain import Answer
from evals import metrics
from evals.datasets import EvalQuestion
from evals.scoring import QuestionOutcome, summarize
from assistant.core.text import fold_accents

log = logging.getLogger(__name__)


class RetrievalSystem(Protocol):
    """Ranked unique unit ids for a question (best first, at most k)."""

    def retrieve(self, question: str, k: int, audience: str) -> list[str]: ...


class AnswerSystem(Protocol):
    def ask(self, question: str, audience: str) -> Answer: ...


@dataclass
class EvalRun:
    """`summary` is the `troly eval --json` shape; `outcomes` are the primary system's answers."""

    summary: dict[str, Any]
    outcomes: list[QuestionOutcome] = field(default_factory=list)
    variant_outcomes: dict[str, list[QuestionOutcome]] = field(default_factory=dict)


def _elapsed_ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0


def run_retrieval(
    questions: Sequence[EvalQuestion], system: RetrievalSystem, k: int, *, label: str = "", progress: bool = True
) -> list[QuestionOutcome]:
    if questions:  # untimed warm-up: lazy model loads and first-query caches are not latency
        try:
            system.retrieve(questions[0].question, k, questions[0].audience)
        except Exception:  # the timed loop records the failure
            pass
    outcomes = []
    for q in tqdm(questions, desc=label or "retrieval", unit="q", disable=not progress, leave=False):
        outcome = QuestionOutcome(question=q)
        start = time.perf_counter()
        try:
            outcome.ranked = list(system.retrieve(q.question, k, q.audience))[:k]
        except Exception as exc:  # one failing question must not end a long evaluation
            log.warning("retrieval failed", extra={"question_id": q.id, "error": repr(exc)})
            outcome.error = repr(exc)
        outcome.stage_ms["retrieval"] = _elapsed_ms(start)
        outcomes.append(outcome)
    return outcomes


def run_answers(
    outcomes: Sequence[QuestionOutcome], answerer: AnswerSystem, *, progress: bool = True
) -> None:
    """Ask every question end to end; records the answer, its wall time and its own stage timings."""
    if outcomes:  # untimed warm-up, as for retrieval
        try:
            answerer.ask(outcomes[0].question.question, outcomes[0].question.audience)
        except Exception:
            pass
    for outcome in tqdm(outcomes, desc="answers", unit="q", disable=not progress, leave=False):
        q = outcome.question
        start = time.perf_counter()
        try:
            outcome.answer = answerer.ask(q.question, q.audience)
        except Exception as exc:
            log.warning("answer failed", extra={"question_id": q.id, "error": repr(exc)})
            outcome.error = outcome.error or repr(exc)
            continue
        outcome.stage_ms["answer"] = _elapsed_ms(start)
        for stage, ms in (outcome.answer.timings_ms or {}).items():
            outcome.stage_ms[f"answer.{stage}"] = float(ms)


def evaluate(
    questions: Sequence[EvalQuestion],
    primary: RetrievalSystem,
    *,
    answerer: AnswerSystem | None = None,
    variants: Mapping[str, RetrievalSystem] | None = None,
    k: int = 10,
    progress: bool = True,
) -> EvalRun:
    """Score the primary system (with answers when an answerer is given) and each variant.

    Returns the `troly eval --json` shape: overall, by_kind, answers, latency_ms, variants."""
    depth = max(k, 10)
    outcomes = run_retrieval(questions, primary, depth, label="default", progress=progress)
    if answerer is not None:
        run_answers(outcomes, answerer, progress=progress)
    result = summarize(outcomes, depth)
    result["variants"] = {}
    run = EvalRun(summary=result, outcomes=outcomes)
    for name, system in (variants or {}).items():
        log.info("evaluating variant", extra={"variant": name})
        variant_outcomes = run_retrieval(questions, system, depth, label=name, progress=progress)
        result["variants"][name] = summarize(variant_outcomes, depth)
        run.variant_outcomes[name] = variant_outcomes
    return run


def diacritics_gap(
    questions: Sequence[EvalQuestion],
    primary: Sequence[QuestionOutcome],
    system: RetrievalSystem,
    k: int,
    *,
    progress: bool = True,
) -> dict[str, Any]:
    """The same answerable questions typed without diacritics: Recall@5 with and without, and
    the gap in points (issue 3: at most 5). Questions already written without marks are left out."""
    by_id = {o.question.id: o for o in primary}
    pairs = [
        (by_id[q.id], replace(q, question=fold_accents(q.question)))
        for q in questions
        if q.relevant and q.id in by_id and fold_accents(q.question) != q.question
    ]
    folded = run_retrieval([q for _, q in pairs], system, k, label="no-diacritics", progress=progress)
    with_marks = metrics.mean(metrics.recall_at_k(o.ranked, o.question.relevant, 5) for o, _ in pairs)
    without = metrics.mean(metrics.recall_at_k(o.ranked, o.question.relevant, 5) for o in folded)
    return {
        "n": len(pairs),
        "R@5_with_diacritics": with_marks,
        "R@5_without_diacritics": without,
        "gap_points": None if with_marks is None or without is None else round(100 * (with_marks - without), 2),
    }
