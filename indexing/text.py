"""Vietnamese text normalisation, applied once at load time, and accent folding for matching
questions typed without diacritics. (Owner: loaders; extended with tone-mark placement, legacy
encodings and PDF artefacts.)"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def normalize_text(text: str) -> str:
    """NFC, canonical tone-mark placement, collapsed whitespace (newlines kept)."""
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(lines).strip()


def fold_accents(text: str) -> str:
    """Remove Vietnamese diacritics: 'Bảo hiểm y tế' -> 'Bao hiem y te' (đ -> d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
