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
