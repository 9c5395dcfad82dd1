"""Retrieval quality of the quantised embedder against fp32 (issue 13): nDCG@10 and R@5 on ALQAC
(train) and the health development set, one row per `TROLY_EMBEDDING_QUANTIZED` setting.

Measuring indexes each dataset's corpus once per setting and scores retrieval without answers
(what `troly eval --no-answers` does): hours on the shared 2-core machine. So it runs only when
asked (`troly bench --only indexing --quality`), and writes `RECORD` with its date, commit and
the machine's load; every other bench prints the table from that record, labelled as such."""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.core.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

RECORD = PROJECT_ROOT / "evals" / "results" / "quantization_quality.json"
# Row label -> TROLY_EMBEDDING_QUANTIZED.
VARIANTS = {
    "fp32": "none",
    "int8 passages, fp32 queries": "passages",
    "int8 passages and queries": "all",
}
METRICS = ("nDCG@10", "R@5")


@dataclass(frozen=True)
class QualityDataset:
    name: str
    questions: Path
    corpus: tuple[Path, ...]


def default_datasets(shared_data: Path) -> list[QualityDataset]:
    """ALQAC train on its law corpus; the health dev set on Pháp điển health + TTHC records."""
    return [
        QualityDataset("ALQAC train", shared_data / "alqac2024" / "train.json",
                       (shared_data / "alqac2024" / "law.json",)),
        QualityDataset("health dev", PROJECT_ROOT / "evals" / "data" / "health_dev.jsonl",
                       (shared_data / "phapdien_health", shared_data / "tthc_csdlqg_sample")),
    ]


def _score(settings: Settings, dataset: QualityDataset) -> dict[str, float | None]:
    """Index the corpus, then open troly on the finished index (and its corpus statistics) and
    score retrieval the way `troly eval --no-answers` does."""
    from assistant.app.index import open_index
    from evals.datasets import load_questions
    from evals.runner import evaluate
    from evals.systems import open_pipeline

    questions = load_questions(dataset.questions, None)
    with open_index(settings) as index:
        index.indexer.index_paths(list(dataset.corpus))
    with open_pipeline(settings) as pipeline:
        overall = evaluate(questions, pipeline.primary, k=10, progress=False).summary["overall"]
    return {metric: overall.get(metric) for metric in METRICS}


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def _load_average() -> str:
    return " / ".join(f"{v:.1f}" for v in os.getloadavg())


def measure(settings: Settings, datasets: Sequence[QualityDataset], work_dir: Path,
            record: Path | None = RECORD) -> dict[str, Any]:
    """Index and score every dataset under every variant, then write the record (when given)."""
    from datetime import datetime, timezone

    started_load = _load_average()
    rows: dict[str, dict[str, Any]] = {}
    for label, quantized in VARIANTS.items():
        for dataset in datasets:
            data_dir = work_dir / f"quality-{quantized}-{dataset.name.replace(' ', '_')}"
            data_dir.mkdir(parents=True, exist_ok=True)
            if settings.models_dir.exists() and not (data_dir / "models").exists():
                (data_dir / "models").symlink_to(settings.models_dir.resolve(), target_is_directory=True)
            log.info("quality run", extra={"variant": label, "dataset": dataset.name})
            run_settings = settings.model_copy(update={"data_dir": data_dir, "embedding_quantized": quantized})
            rows.setdefault(label, {})[dataset.name] = _score(run_settings, dataset)
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine_load": f"{os.cpu_count()} cores, load average {started_load} at start, "
                        f"{_load_average()} at end",
        "source": "measured by `troly bench --only indexing --quality`",
        "datasets": [d.name for d in datasets],
        "rows": rows,
    }
    if record is not None:
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {**result, "measured_now": True}


def recorded(record: Path = RECORD) -> dict[str, Any]:
    """The last recorded run, or an error entry when there is none."""
    try:
        return {**json.loads(record.read_text(encoding="utf-8")), "measured_now": False}
    except (OSError, ValueError) as exc:
        return {"error": f"no recorded quality run ({record}): {exc}"}


def provenance(result: dict[str, Any]) -> str:
    """Where the numbers come from: this run, or the record (date, commit, load, source)."""
    facts = ", ".join(p for p in (
        str(result.get("date", "?"))[:10],
        f"commit {result['commit']}" if result.get("commit") else "",
        result.get("machine_load", ""),
    ) if p)
    if result.get("measured_now"):
        return f"measured by this run ({facts})"
    return (f"recorded {facts}; {result.get('source', '')}; not re-measured by this run "
            f"(--quality re-measures, hours)")


def _cell(values: dict[str, Any] | None) -> str:
    values = values or {}
    return " / ".join(f"{values[m]:.3f}" if values.get(m) is not None else "—" for m in METRICS)


def quality_lines(result: dict[str, Any] | None) -> list[str]:
    """The table for the bench summary: one row per variant, nDCG@10 / R@5 per dataset, and the
    nDCG@10 change of each quantised row against fp32, in points."""
    if not result:
        return []
    if result.get("error"):
        return [f"Quantised vs fp32 retrieval: {result['error']}"]
    datasets = result.get("datasets") or []
    rows = result.get("rows") or {}
    lines = ["Quantised vs fp32 retrieval, nDCG@10 / R@5:", f"  {provenance(result)}",
             f"  {'':<30}" + "".join(f"{name:>18}" for name in datasets)]
    lines += [f"  {label:<30}" + "".join(f"{_cell(row.get(name)):>18}" for name in datasets)
              for label, row in rows.items()]
    base = rows.get("fp32") or {}
    for label, row in rows.items():
        if label == "fp32":
            continue
        drops = [_points(row.get(name), base.get(name)) for name in datasets]
        lines.append(f"  {label}: nDCG@10 vs fp32 " + " / ".join(drops) + " points")
    return lines


def _points(values: dict[str, Any] | None, base: dict[str, Any] | None) -> str:
    now, then = (values or {}).get("nDCG@10"), (base or {}).get("nDCG@10")
    if now is None or then is None:
        return "—"
    return f"{100 * (now - then):+.1f}"
