import pytest

from evals.runner import evaluate
from fakes.evals import QUESTIONS, TableRetrieval, eval_systems as _systems

def test_evaluate_scores_retrieval_over_questions_with_gold():
    retrieval, answers = _systems()
    summary = evaluate(QUESTIONS, retrieval, answerer=answers, progress=False).summary
    overall = summary["overall"]
    assert overall["n"] == 2
    assert overall["R@1"] == pytest.approx((0 + 0.5) / 2)
    assert overall["R@5"] == pytest.approx(1.0)
    assert overall["MRR@10"] == pytest.approx((0.5 + 1.0) / 2)
    assert len(overall["recall_curve"]) == 10
    assert summary["errors"] == 1


def test_evaluate_scores_answers_refusals_and_routing():
    retrieval, answers = _systems()
    result = evaluate(QUESTIONS, retrieval, answerer=answers, progress=False).summary["answers"]
    assert result["fact_recall"] == 1.0
    assert result["citation_precision"] == 0.5  # q2 refused, so only q1's citations count
    assert result["refusal_rate"] == 1.0
    assert result["false_refusal_rate"] == 0.5
    assert result["routing_accuracy"] == 0.0


def test_evaluate_groups_by_kind_and_records_stage_latency():
    retrieval, answers = _systems()
    summary = evaluate(QUESTIONS, retrieval, answerer=answers, progress=False).summary
    assert set(summary["by_kind"]) == {"staff", "citizen", "out_of_scope", "dossier_status"}
    assert summary["by_kind"]["citizen"]["false_refusal_rate"] == 1.0
    assert summary["by_kind"]["out_of_scope"]["R@5"] is None
    assert {"retrieval", "answer", "answer.retrieve"} <= set(summary["latency_ms"])


def test_evaluate_runs_variants_without_answers_and_passes_depth_and_audience():
    retrieval, answers = _systems()
    variant = TableRetrieval({"q1": ["a"], "q2": []})
    run = evaluate(QUESTIONS, retrieval, answerer=answers, variants={"bm25": variant}, k=20, progress=False)
    bm25 = run.summary["variants"]["bm25"]
    assert bm25["overall"]["R@1"] == pytest.approx(0.5)
    assert bm25["answers"] == {}
    assert variant.calls[0] == ("q1", 20, "staff")
    assert len(variant.calls) == len(QUESTIONS) + 1  # one untimed warm-up call
    assert len(run.variant_outcomes["bm25"]) == len(QUESTIONS)


def test_diacritics_gap_asks_the_folded_question_and_reports_the_recall_difference():
    from evals.runner import diacritics_gap, run_retrieval
    from evals.datasets import EvalQuestion

    questions = [
        EvalQuestion("a", "staff", "Điều kiện cấp chứng chỉ", ("u1",)),
        EvalQuestion("b", "staff", "Lệ phí cấp giấy phép", ("u2",)),
        EvalQuestion("c", "staff", "da khong dau", ("u3",)),  # already unaccented: left out
        EvalQuestion("d", "out_of_scope", "Hộ chiếu"),  # nothing relevant: left out
    ]
    system = TableRetrieval({
        "Điều kiện cấp chứng chỉ": ["u1"], "Lệ phí cấp giấy phép": ["u2"],
        "Dieu kien cap chung chi": ["u1"], "Le phi cap giay phep": ["zz"],
    })
    primary = run_retrieval(questions, system, 10, progress=False)
    gap = diacritics_gap(questions, primary, system, 10, progress=False)
    assert gap["n"] == 2
    assert gap["R@5_with_diacritics"] == 1.0 and gap["R@5_without_diacritics"] == 0.5
    assert gap["gap_points"] == 50.0
    assert ("Le phi cap giay phep", 10, "citizen") in system.calls
