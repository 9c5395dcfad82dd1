"""OCR metrics on normalised text: Levenshtein distance and character accuracy (1 - CER),
shared by the page benchmark (`evals.ocr_accuracy`) and the table benchmark (`evals.ocr_tables`)."""

from __future__ import annotations

import unicodedata

from assistant.core.text import normalize_text


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance over characters (one row at a time)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def comparable(text: str) -> str:
    """NFC, canonical tone marks, all whitespace runs as one space."""
    return " ".join(normalize_text(unicodedata.normalize("NFC", text)).split())


def char_accuracy(truth: str, read: str) -> float:
    truth, read = comparable(truth), comparable(read)
    return max(0.0, 1 - edit_distance(truth, read) / max(1, len(truth)))
