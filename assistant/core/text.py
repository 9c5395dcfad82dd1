"""Vietnamese text normalisation, applied once at load time, and accent folding for matching
questions typed without diacritics.

`normalize_text` makes every loader's output comparable: NFC (part of the shared data is NFD),
one tone-mark placement style for the open syllables oa/oe/uy (hoà → hòa, uỷ → ủy, never qúy),
no zero-width or control characters, collapsed spaces. Legacy byte encodings (TCVN3, VNI,
Windows-1258) are repaired by the loaders (`indexing.loaders.legacy_encoding`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["canonical_tone_marks", "fold_accents", "fold_accents_reference", "normalize_text"]

_BLANKS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # every horizontal space but " "
_SPACES = re.compile(f" *[{_BLANKS}][ {_BLANKS}]*| {{2,}}")  # only runs that need rewriting
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0c\x85\u2028\u2029]")
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Look-alikes of Đ/đ seen in the shared data ("QUY ÐỊNH" with the Icelandic eth, U+00D0).
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ"})
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _tone_table() -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], str]]:
    """toned vowel -> (base, tone) and back, for the vowels the canonical rule moves."""
    split: dict[str, tuple[str, str]] = {}
    join: dict[tuple[str, str], str] = {}
    for base in "aeyoAEYOuU":
        for tone in _TONES:
            toned = unicodedata.normalize("NFC", base + tone)
            split[toned] = (base, tone)
            join[(base, tone)] = toned
    return split, join


_SPLIT, _JOIN = _tone_table()
# A word ending in o/u + a toned vowel; _move_tone keeps only oa/oe/uy (not after "q").
_OPEN_SYLLABLE = re.compile(r"([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")
_FIRST_OF = {"o": "aeAE", "O": "aeAE", "u": "yY", "U": "yY"}


def _move_tone(match: re.Match[str]) -> str:
    first, toned = match.group(1), match.group(2)
    base, tone = _SPLIT[toned]
    start = match.start()
    after_q = first in "uU" and start > 0 and match.string[start - 1] in "qQ"
    if base not in _FIRST_OF[first] or after_q:
        return match.group(0)
    return _JOIN[(first, tone)] + base


def canonical_tone_marks(text: str) -> str:
    """Put the tone of an open oa/oe/uy syllable on its first vowel ("hoà" → "hòa", "thuý" →
    "thúy", "uỷ" → "ủy"); "quý" keeps its mark because "qu" is the initial. Expects NFC."""
    return _OPEN_SYLLABLE.sub(_move_tone, text)


def normalize_text(text: str) -> str:
    """NFC, canonical tone-mark placement, Đ look-alikes replaced, no invisible characters,
    collapsed whitespace (newlines kept, at most one blank line in a row)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(_LOOKALIKES)
    text = _SPACES.sub(" ", _LINE_BREAKS.sub("\n", canonical_tone_marks(text)))
    return _BLANK_RUNS.sub("\n\n", _LINE_EDGES.sub("\n", text)).strip()


def fold_accents_reference(text: str) -> str:
    """The definition of folding: NFD, drop non-spacing marks, đ -> d. `fold_accents` computes
    the same result with a translation table (it runs on every query and indexed text)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    # Folding is character by character (NFD decomposes each character on its own and the
    # marks it adds are all dropped), so one table over the BMP reproduces it exactly.
    table = {}
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        folded = fold_accents_reference(ch)
        if folded != ch:
            table[code] = folded
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def fold_accents(text: str) -> str:
    """Remove Vietnamese diacritics: 'Bảo hiểm y tế' -> 'Bao hiem y te' (đ -> d)."""
    if text.isascii():
        return text
    if _ASTRAL.search(text):
        return fold_accents_reference(text)
    return text.translate(_fold_table())  # built on first use (~60 ms), not at import


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold_words(text: str) -> list[str]:
    """The accent-folded, lower-case words of a text, punctuation dropped:
    'Khám bệnh, chữa bệnh' -> ['kham', 'benh', 'chua', 'benh']."""
    return _NOT_ALNUM.sub(" ", fold_accents(text).lower()).split()
