"""The quantised-vs-fp32 quality table of `troly bench --only indexing`: its formatting and its
provenance label, from small fake results (the real run takes hours)."""

import json

from evals import quantization_quality as quality
from evals.bench import format_summary
from evals.machine import machine_facts

DATASETS = ["ALQAC train", "health dev"]


def _rows() -> dict:
    return {
        "fp32": {"ALQAC train": {"nDCG@10": 0.9, "R@5": 0.95}, "health dev": {"nDCG@10": 0.8, "R@5": 0.9}},
        "int8 passages, fp32 queries": {"ALQAC train": {"nDCG@10": 0.894, "R@5": 0.95},
                                        "health dev": {"nDCG@10": 0.81, "R@5": None}},
    }


def _record(**extra) -> dict:
    return {"date": "2026-01-02T03:04:05+00:00", "commit": "abc1234",
            "machine_load": "2 cores, load average 3.0", "source": "fake run",
            "datasets": DATASETS, "rows": _rows(), **extra}


def test_quality_table_has_a_row_per_variant_and_the_change_in_points():
    lines = quality.quality_lines({**_record(), "measured_now": False})
    text = "\n".join(lines)
    assert "nDCG@10 / R@5" in lines[0]
    fp32 = next(line for line in lines if line.strip().startswith("fp32"))
    assert "0.900 / 0.950" in fp32 and "0.800 / 0.900" in fp32
    int8 = next(line for line in lines if line.strip().startswith("int8 passages, fp32 queries  "))
    assert "0.894 / 0.950" in int8 and "0.810 / —" in int8
    assert "nDCG@10 vs fp32 -0.6 / +1.0 points" in text


def test_recorded_table_says_where_and_when_it_was_measured():
    label = quality.provenance({**_record(), "measured_now": False})
    assert label.startswith("recorded 2026-01-02")
    assert "commit abc1234" in label and "load average 3.0" in label and "fake run" in label
    assert "not re-measured by this run" in label and "--quality" in label
    measured = quality.provenance({**_record(), "measured_now": True})
    assert measured.startswith("measured by this run (2026-01-02") and "not re-measured" not in measured


def test_recorded_reads_the_record_and_reports_a_missing_one(tmp_path):
    path = tmp_path / "quality.json"
    path.write_text(json.dumps(_record()), encoding="utf-8")
    assert quality.recorded(path)["rows"] == _rows()
    assert quality.recorded(path)["measured_now"] is False
    missing = quality.recorded(tmp_path / "none.json")
    assert "no recorded quality run" in missing["error"]
    assert "no recorded quality run" in quality.quality_lines(missing)[0]


def test_measure_scores_every_variant_and_dataset_and_writes_the_record(monkeypatch, tmp_path):
    from assistant.core.settings import Settings

    seen = []

    def fake_score(settings, dataset):
        seen.append((settings.embedding_quantized, dataset.name, settings.data_dir.parent))
        return {"nDCG@10": 0.5, "R@5": 0.75}

    monkeypatch.setattr(quality, "_score", fake_score)
    datasets = quality.default_datasets(tmp_path / "shared")
    record = tmp_path / "out" / "quality.json"
    result = quality.measure(Settings(_env_file=None, data_dir=tmp_path / "d"), datasets,
                             tmp_path / "work", record=record)
    assert [(q, n) for q, n, _ in seen] == [(q, d.name) for q in ("none", "passages", "all") for d in datasets]
    assert {parent for *_, parent in seen} == {tmp_path / "work"}
    assert result["measured_now"] is True
    written = json.loads(record.read_text(encoding="utf-8"))
    assert written["rows"]["int8 passages and queries"]["health dev"] == {"nDCG@10": 0.5, "R@5": 0.75}
    assert written["date"] and "load average" in written["machine_load"]
    assert "measured_now" not in written


def test_the_committed_record_holds_the_numbers_of_results_md():
    rows = quality.recorded()["rows"]
    assert rows["fp32"]["ALQAC train"] == {"nDCG@10": 0.918, "R@5": 0.960}
    assert rows["int8 passages, fp32 queries"]["health dev"] == {"nDCG@10": 0.841, "R@5": 0.946}


def test_bench_summary_prints_the_quality_table_after_the_indexing_profile():
    run = {"wall_s": 10.0, "chunks": 20, "chunks_per_s": 2.0, "profile": {}}
    result = {"machine": machine_facts(), "data_dir": "data", "indexing": {
        "from_scratch": run, "unchanged": run, "one_changed": run,
        "quantization_quality": {**_record(), "measured_now": False}}}
    text = format_summary(result)
    assert "from scratch 10.0 s (20 chunks, 2.0 chunks/s)" in text
    assert "recorded 2026-01-02" in text and "0.894 / 0.950" in text


def test_bench_measures_quality_only_when_asked():
    import argparse

    from evals import cli

    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    assert parser.parse_args(["bench", "--only", "indexing"]).quality is False
    assert parser.parse_args(["bench", "--only", "indexing", "--quality"]).quality is True


def test_bench_only_indexing_adds_the_recorded_table(monkeypatch, tmp_path):
    from assistant.core.settings import Settings
    from evals import bench_indexing
    from evals.bench import BenchOptions, run_bench

    run = {"wall_s": 1.0, "chunks": 2, "chunks_per_s": 2.0, "profile": {}}
    monkeypatch.setattr(bench_indexing, "bench_indexing", lambda *a: {
        "from_scratch": run, "unchanged": run, "one_changed": run})
    monkeypatch.setattr(quality, "recorded", lambda: {**_record(), "measured_now": False})
    result = run_bench(Settings(_env_file=None, data_dir=tmp_path), BenchOptions(only=("indexing",)))
    assert result["indexing"]["quantization_quality"]["rows"] == _rows()
    assert "recorded 2026-01-02" in format_summary(result)
