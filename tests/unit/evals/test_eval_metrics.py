import math
import unicodedata

import pytest

from evals import metrics


def test_unique_in_order_keeps_best_rank():
    assert metrics.unique_in_order(["a", "b", "a", "", "c", "b"]) == ["a", "b", "c"]


def test_recall_at_k_counts_share_of_relevant():
    ranked = ["x", "a", "y", "b"]
    assert metrics.recall_at_k(ranked, {"a", "b"}, 1) == 0.0
    assert metrics.recall_at_k(ranked, {"a", "b"}, 2) == 0.5
    assert metrics.recall_at_k(ranked, {"a", "b"}, 10) == 1.0


def test_recall_at_k_rejects_empty_gold():
    with pytest.raises(ValueError):
        metrics.recall_at_k(["a"], [], 5)


def test_mrr_at_k_uses_first_relevant_within_cutoff():
    assert metrics.mrr_at_k(["x", "y", "a"], {"a"}, 10) == pytest.approx(1 / 3)
    assert metrics.mrr_at_k(["x", "y", "a"], {"a"}, 2) == 0.0


def test_ndcg_at_k_is_one_for_ideal_ranking_and_discounted_otherwise():
    assert metrics.ndcg_at_k(["a", "b", "x"], {"a", "b"}) == pytest.approx(1.0)
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert metrics.ndcg_at_k(["x", "a"], {"a", "b"}) == pytest.approx(expected)


def test_fact_recall_matches_after_nfc_and_casefold():
    decomposed = unicodedata.normalize("NFD", "Lệ phí 100.000 ĐỒNG")
    answer = f"Theo quy định, {decomposed}  được nộp khi nộp hồ sơ."
    assert metrics.fact_recall(answer, ["lệ phí 100.000 đồng", "30 ngày"]) == 0.5


def test_citation_precision_over_unique_citations():
    assert metrics.citation_precision(["a", "a", "x"], {"a"}) == 0.5
    assert metrics.citation_precision([], {"a"}) is None


def test_rate_and_mean_ignore_missing_data():
    assert metrics.rate([True, False, True, True]) == 0.75
    assert metrics.rate([]) is None
    assert metrics.mean([1.0, None, 0.0]) == 0.5
    assert metrics.mean([None]) is None


def test_routing_accuracy_compares_pairwise():
    assert metrics.routing_accuracy(["dossier_status", "tthc"], ["dossier_status", "dossier_status"]) == 0.5
    with pytest.raises(ValueError):
        metrics.routing_accuracy(["a"], [])


def test_latency_summary_interpolates_percentiles():
    values = [float(v) for v in range(1, 101)]
    summary = metrics.latency_summary(values, (50, 95, 99))
    assert summary["p50"] == pytest.approx(50.5)
    assert summary["p95"] == pytest.approx(95.05)
    assert summary["p99"] == pytest.approx(99.01)
    assert metrics.latency_summary([]) == {"p50": None, "p95": None}
