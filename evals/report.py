"""Write an evaluation as Markdown, JSON (the issue's shape) and PNG plots (matplotlib Agg)."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.scoring import QuestionOutcome

log = logging.getLogger(__name__)

RETRIEVAL_COLUMNS = ("n", "R@1", "R@5", "R@10", "MRR@10", "nDCG@10")
ANSWER_COLUMNS = (
    "fact_recall", "citation_precision", "refusal_rate", "false_refusal_rate", "routing_accuracy",
)


def fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return lines


def to_markdown(summary: Mapping[str, Any], meta: Mapping[str, Any]) -> str:
    """A one-page report: retrieval per system, per kind, answer metrics, latency."""
    lines = [f"# troly eval — {meta.get('questions', '')}", ""]
    lines += [f"- {key}: {fmt(value)}" for key, value in meta.items() if not isinstance(value, dict)]
    systems = {"default": summary, **summary.get("variants", {})}
    lines += ["", "## Retrieval (overall)", ""]
    lines += _table(
        ("system", *RETRIEVAL_COLUMNS),
        [(name, *(s["overall"].get(c) for c in RETRIEVAL_COLUMNS)) for name, s in systems.items()],
    )
    with_answers = bool(summary.get("answers"))
    columns = RETRIEVAL_COLUMNS + (ANSWER_COLUMNS if with_answers else ())
    lines += ["", "## By kind (default pipeline)", ""]
    lines += _table(
        ("kind", "questions", *columns),
        [(k, v.get("questions"), *(v.get(c) for c in columns)) for k, v in summary["by_kind"].items()],
    )
    if with_answers:
        lines += ["", "## Answers (default pipeline)", ""]
        lines += _table(ANSWER_COLUMNS, [[summary["answers"].get(c) for c in ANSWER_COLUMNS]])
    gap = summary.get("diacritics_gap")
    if gap:
        lines += ["", "## Questions without diacritics (default pipeline)", ""]
        lines += _table(("n", "R@5 with", "R@5 without", "gap (points)"),
                        [(gap.get("n"), gap.get("R@5_with_diacritics"), gap.get("R@5_without_diacritics"),
                          gap.get("gap_points"))])
    routing = summary.get("routing")
    if routing:
        lines += ["", f"## Routing ({routing.get('file', '')})", "",
                  f"accuracy {fmt(routing.get('accuracy'))} on {routing.get('n')} labelled messages", ""]
        lines += _table(("route", "n", "precision", "recall", "f1"),
                        [(r, v["n"], v["precision"], v["recall"], v["f1"]) for r, v in routing["per_route"].items()])
    lines += ["", "## Latency (ms)", ""]
    rows = [
        (name, stage, v.get("p50"), v.get("p95"))
        for name, s in systems.items()
        for stage, v in s["latency_ms"].items()
    ]
    lines += _table(("system", "stage", "p50", "p95"), rows)
    errors = {name: s.get("errors", 0) for name, s in systems.items() if s.get("errors")}
    if errors:
        lines += ["", f"Lỗi / errors: {errors}"]
    return "\n".join(lines) + "\n"


def to_json(summary: Mapping[str, Any], meta: Mapping[str, Any]) -> str:
    return json.dumps({**summary, "meta": dict(meta)}, ensure_ascii=False, indent=2, default=str)


def plot_recall_curves(summary: Mapping[str, Any], path: Path) -> Path:
    """Recall@k for k = 1..K, one line per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    systems = {"default": summary, **summary.get("variants", {})}
    for name, s in systems.items():
        curve = [v if v is not None else float("nan") for v in s["overall"].get("recall_curve", [])]
        ax.plot(range(1, len(curve) + 1), curve, marker="o", markersize=3, label=name)
    ax.set_xlabel("k")
    ax.set_ylabel("Recall@k")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_latency_histogram(outcomes: Mapping[str, Sequence[QuestionOutcome]], path: Path) -> Path:
    """Histogram (log-spaced bins) of per-question latency: retrieval per system and the
    end-to-end answer of the default pipeline."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    series = {
        f"{name} · {stage}": [max(o.stage_ms[stage], 0.01) for o in group if stage in o.stage_ms]
        for name, group in outcomes.items()
        for stage in ("retrieval", "answer")
    }
    series = {label: values for label, values in series.items() if values}
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if series:
        low = min(min(v) for v in series.values())
        high = max(max(v) for v in series.values())
        bins = np.logspace(np.log10(low), np.log10(high * 1.01), 40)
        for label, values in series.items():
            ax.hist(values, bins=bins, histtype="step", linewidth=1.5, label=label)
        ax.set_xscale("log")
        ax.legend(fontsize=8)
    ax.set_xlabel("ms (log scale)")
    ax.set_ylabel("questions")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def write_report(
    summary: Mapping[str, Any],
    meta: Mapping[str, Any],
    out_dir: Path,
    outcomes: Mapping[str, Sequence[QuestionOutcome]],
    json_path: Path | None = None,
) -> dict[str, Path]:
    """Write report.md, the JSON file and the two plots; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"markdown": out_dir / "report.md", "json": json_path or out_dir / "report.json"}
    paths["markdown"].write_text(to_markdown(summary, meta), encoding="utf-8")
    paths["json"].parent.mkdir(parents=True, exist_ok=True)
    paths["json"].write_text(to_json(summary, meta), encoding="utf-8")
    paths["outcomes"] = write_outcomes(outcomes.get("default", ()), out_dir / "outcomes.jsonl")
    paths["recall_plot"] = plot_recall_curves(summary, out_dir / "recall_at_k.png")
    paths["latency_plot"] = plot_latency_histogram(outcomes, out_dir / "latency_hist.png")
    log.info("report written", extra={k: str(v) for k, v in paths.items()})
    return paths


def write_outcomes(outcomes: Sequence[QuestionOutcome], path: Path) -> Path:
    """One line per question of the default pipeline: what it retrieved, answered and cited, to
    read the misses behind the numbers."""
    with path.open("w", encoding="utf-8") as out:
        for o in outcomes:
            q = o.question
            record: dict[str, Any] = {
                "id": q.id, "kind": q.kind, "question": q.question, "relevant": list(q.relevant),
                "ranked": o.ranked[:10], "error": o.error or None,
            }
            if o.answer is not None:
                record.update(
                    route=o.answer.route, refused=o.answer.refused, confidence=o.answer.confidence,
                    cited=[c.unit_id for c in o.answer.citations], answer=o.answer.answer[:400],
                )
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path
