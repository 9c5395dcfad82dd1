"""When is a curated answer served? Measured on a labelled set (JSON lines: {"kind": "curated",
"id", "question"} for the curated answers, {"kind": "query", "text", "expect": id | null} for
questions that are paraphrases of one, or are not). For each question the matcher's best
scores (embedding cosine with the real dense embedder, topic-word Jaccard overlap) are computed
once; policies are then scored: paraphrases served the right answer (recall), other questions
served an answer (false serves: unrelated, near-topic, or paraphrases of an answer that does
not exist), a wrong answer served. Two folds: the policy is tuned on half the curated answers
(highest recall with no false serve) and measured on the other half.

    python -m evals.curated_match [--model PATH] [--data evals/data/curated_paraphrases.jsonl]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from ui.console.curated import CuratedMatch, MatchPolicy
from ui.console.service import Console
from ui.storage import SqlStorage

DATA = Path(__file__).resolve().parent / "data" / "curated_paraphrases.jsonl"
GRID = {
    "min_cosine": [0.86, 0.88, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95],
    "min_query_coverage": [0.3, 0.4, 0.5, 0.6, 0.7],
    "min_curated_coverage": [0.4, 0.5, 0.6, 0.7, 0.8],
    "lexical_query": [0.8, 1.0, 1.01],
    "lexical_curated": [0.7, 0.8, 1.0],
}
Scored = list[tuple[str | None, list[CuratedMatch]]]


def load(path: Path) -> tuple[list[dict], list[dict]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    return [r for r in rows if r["kind"] == "curated"], [r for r in rows if r["kind"] == "query"]


def decide(policy: MatchPolicy, matches: list[CuratedMatch], ids: set[str]) -> str | None:
    """The curated id served among `ids` (the curated answers that exist), or None."""
    for match in matches:
        if match.curated.curated_id in ids and policy.accepts(match):
            return match.curated.curated_id
    return None


def evaluate(policy: MatchPolicy, scored: Scored, ids: set[str]) -> dict[str, Any]:
    """Paraphrases of an existing curated answer must get it; every other question (unrelated,
    near-topic, or a paraphrase of an answer that does not exist) must get none."""
    right = wrong = false_serves = positives = 0
    for expect, matches in scored:
        served = decide(policy, matches, ids)
        if expect in ids:
            positives += 1
            right += served == expect
            wrong += served is not None and served != expect
        else:
            false_serves += served is not None
    others = len(scored) - positives
    return {"paraphrases": positives, "others": others,
            "recall": round(right / positives, 3) if positives else 0.0,
            "wrong_answer": wrong, "false_serves": false_serves,
            "false_serve_rate": round(false_serves / others, 3) if others else 0.0}


def _mistakes(policy: MatchPolicy, scored: Scored, ids: set[str],
              texts: list[str]) -> list[dict[str, Any]]:
    out = []
    for text, (expect, matches) in zip(texts, scored):
        served = decide(policy, matches, ids)
        if served != expect:
            out.append({"question": text, "expect": expect, "served": served})
    return out


def policies() -> list[MatchPolicy]:
    return [MatchPolicy(**dict(zip(GRID, values))) for values in itertools.product(*GRID.values())]


def best_policy(scored: Scored, ids: set[str]) -> tuple[MatchPolicy, dict[str, Any]]:
    """Highest recall with no false serve and no wrong answer (ties: the strictest cosine)."""
    ranked = []
    for policy in policies():
        result = evaluate(policy, scored, ids)
        errors = result["false_serves"] + result["wrong_answer"]
        ranked.append(((errors, -result["recall"], -policy.min_cosine), policy, result))
    _key, policy, result = min(ranked, key=lambda r: r[0])
    return policy, result


def score_all(path: Path, embedder: Any) -> tuple[list[str], Scored, float]:
    """(curated ids in file order, (expected id, every phrasing's match) per question, ms per
    question). The matcher's own store and scoring are used."""
    curated, queries = load(path)
    with tempfile.TemporaryDirectory() as tmp:
        storage = SqlStorage(f"sqlite:///{tmp}/curated.sqlite")
        try:
            console = Console.build(storage, embedder)
            to_label = {}
            for c in curated:
                record = console.curated.create(
                    "eval", c["question"], "(câu trả lời)", [{"kind": "contact", "title": "x"}])
                to_label[record.curated_id] = c["id"]
            console.matcher.score("khởi động")  # loads the model and embeds the phrasings
            started = time.perf_counter()
            raw = [(q["expect"], console.matcher.score(q["text"])) for q in queries]
            ms = (time.perf_counter() - started) * 1000.0 / len(queries)
        finally:
            storage.close()
    scored = [(expect, [_relabel(m, to_label) for m in matches]) for expect, matches in raw]
    return [c["id"] for c in curated], scored, ms


def _relabel(match: CuratedMatch, to_label: dict[str, str]) -> CuratedMatch:
    curated = replace(match.curated, curated_id=to_label[match.curated.curated_id])
    return replace(match, curated=curated)


def run(path: Path, embedder: Any, extra: dict | None = None) -> dict[str, Any]:
    ids, scored, ms = score_all(path, embedder)
    everything = set(ids)
    half_a, half_b = set(ids[::2]), set(ids[1::2])
    folds = []
    for tune, test in ((half_a, half_b), (half_b, half_a)):
        policy, tuned = best_policy(scored, tune)
        folds.append({"tuned_on": sorted(tune), "policy": vars(policy), "tuned": tuned,
                      "held_out": evaluate(policy, scored, test)})
    default = MatchPolicy()
    return {"data": str(path), "curated": len(ids), "questions": len(scored),
            "score_ms_per_question": round(ms, 1),
            "default_policy": {"policy": vars(default), **evaluate(default, scored, everything)},
            "default_policy_lexical_only": evaluate(
                replace(default, min_cosine=2.0), scored, everything),
            "default_policy_mistakes": _mistakes(default, scored, everything,
                                                 [q["text"] for q in load(path)[1]]),
            "two_fold": folds,
            **({"policy": {"policy": extra, **evaluate(MatchPolicy(**extra), scored, everything)}}
               if extra else {})}


def _one_thread() -> None:
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(1)


def main(argv: list[str] | None = None) -> int:
    from assistant.core.settings import load_settings
    from indexing.embedding.factory import build_embedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--model", help="embedding model (default: the settings' one)")
    parser.add_argument("--policy", type=json.loads, default=None,
                        help='also score this policy on everything, e.g. \'{"min_cosine": 0.93}\'')
    args = parser.parse_args(argv)
    settings = load_settings(embedding_model=args.model, embedding_threads=1)
    _one_thread()  # as `troly serve` runs the model (serve_model_threads = 1)
    report = run(args.data, build_embedder(settings), args.policy)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
