"""The curated-answer measurement: decisions per policy, recall and false serves."""

from __future__ import annotations

from evals.curated_match import decide, evaluate
from ui.console.curated import CuratedAnswer, CuratedMatch, MatchPolicy


def _match(cid: str, cosine: float, q: float, c: float) -> CuratedMatch:
    return CuratedMatch(CuratedAnswer(cid, "q", "a", []), cosine, q, c)


def test_policy_semantic_rule_needs_cosine_and_word_agreement():
    policy = MatchPolicy(min_cosine=0.9, min_query_coverage=0.3, min_curated_coverage=0.8,
                         lexical_query=1.0, lexical_curated=1.0)
    assert policy.accepts(_match("a", 0.95, 0.5, 0.8))
    assert not policy.accepts(_match("a", 0.95, 0.5, 0.7))  # a key word of the answer missing
    assert not policy.accepts(_match("a", 0.85, 0.5, 0.9))
    assert not policy.accepts(_match("a", 0.95, 0.5, 0.9), semantic=False)
    assert policy.accepts(_match("a", 0.1, 1.0, 1.0), semantic=False)


def test_decide_serves_only_existing_answers_and_evaluate_counts_errors():
    policy = MatchPolicy(min_cosine=0.9, min_query_coverage=0.0, min_curated_coverage=0.0)
    scored = [
        ("a", [_match("a", 0.95, 1, 1)]),  # right
        ("b", [_match("a", 0.95, 1, 1), _match("b", 0.5, 0, 0)]),  # wrong answer
        (None, [_match("a", 0.92, 0.5, 0.5)]),  # false serve
        (None, [_match("b", 0.99, 1, 1)]),  # b does not exist: nothing served
    ]
    assert decide(policy, scored[3][1], {"a"}) is None
    result = evaluate(policy, scored, {"a", "b"})
    assert (result["paraphrases"], result["recall"], result["wrong_answer"]) == (2, 0.5, 1)
    result = evaluate(policy, scored, {"a"})
    assert (result["paraphrases"], result["false_serves"], result["others"]) == (1, 2, 3)
