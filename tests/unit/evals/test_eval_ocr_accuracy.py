"""The OCR benchmark's metric: character accuracy on normalised text."""

from __future__ import annotations

import pytest

from evals.ocr_accuracy import char_accuracy, edit_distance


def test_edit_distance_counts_insertions_deletions_substitutions():
    assert edit_distance("điều trị", "điều trị") == 0
    assert edit_distance("điều trị", "dieu tri") == 3
    assert edit_distance("abc", "") == 3


def test_char_accuracy_counts_tone_marks_but_not_spacing_or_composition():
    decomposed = "Ho\u0300a gia\u0309i"  # NFD input compares equal to the NFC truth
    assert char_accuracy("Hòa  giải\n", decomposed) == 1.0
    assert char_accuracy("hòa", "hoa") == pytest.approx(2 / 3)
    assert char_accuracy("abc", "xyzxyzxyz") == 0.0


def test_bench_only_ocr_runs_the_ocr_part_and_summarises_it(monkeypatch, tmp_path):
    from assistant.core.settings import Settings
    from evals import ocr_accuracy
    from evals.bench import BenchOptions, format_summary, run_bench

    styles = [{"style": "DejaVuSerif 12pt", "pages": 2, "char_accuracy": 0.9912,
               "seconds_per_page": 2.5, "confidence": 0.95}]  # fmt: skip
    monkeypatch.setattr(ocr_accuracy, "run_ocr_bench", lambda: {"styles": styles})
    result = run_bench(Settings(_env_file=None, data_dir=tmp_path), BenchOptions(only=("ocr",)))
    assert result["ocr"] == {"styles": styles} and "indexing" not in result
    assert "OCR: DejaVuSerif 12pt 99.12% 2.5 s/page" in format_summary(result)
