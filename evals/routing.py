"""Routing accuracy on a labelled set (JSON lines {"id", "text", "route"}): overall, per route
(precision, recall, F1) and the confusion matrix. Used by the eval harness."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from assistant.router import route

ROUTES = ("dossier_status", "tthc", "regulation", "greeting", "out_of_scope")
DEV_SET = Path(__file__).resolve().parent / "data" / "routing_dev.jsonl"


def load_examples(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def routing_accuracy(path: Path | str = DEV_SET) -> dict[str, Any]:
    """{'n', 'accuracy', 'per_route': {route: {n, precision, recall, f1}},
    'confusion': {gold: {predicted: count}}, 'errors': [{id, text, gold, predicted}]}."""
    examples = load_examples(Path(path))
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    errors = []
    for example in examples:
        predicted = route(example["text"]).route
        confusion[example["route"]][predicted] += 1
        if predicted != example["route"]:
            errors.append({"id": example["id"], "text": example["text"],
                           "gold": example["route"], "predicted": predicted})
    correct = sum(confusion[r][r] for r in confusion)
    per_route = {}
    for r in ROUTES:
        gold_n = sum(confusion[r].values())
        predicted_n = sum(confusion[g][r] for g in confusion)
        hit = confusion[r][r]
        precision = hit / predicted_n if predicted_n else 0.0
        recall = hit / gold_n if gold_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_route[r] = {"n": gold_n, "precision": round(precision, 3), "recall": round(recall, 3),
                        "f1": round(f1, 3)}
    return {
        "n": len(examples),
        "accuracy": round(correct / len(examples), 4) if examples else 0.0,
        "per_route": per_route,
        "confusion": {g: dict(c) for g, c in confusion.items()},
        "errors": errors,
    }


if __name__ == "__main__":  # pragma: no cover
    import sys

    result = routing_accuracy(sys.argv[1] if len(sys.argv) > 1 else DEV_SET)
    print(json.dumps(result, ensure_ascii=False, indent=2))
