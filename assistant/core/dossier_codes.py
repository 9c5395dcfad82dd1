"""Dossier codes (Circular 01/2018/TT-VPCP, Art. 19): `<agency id>-<YYMMDD>-<NNNN>`, e.g.
`000.00.21.H21-251120-0001`. Citizens type them with spaces, commas or lower case, so parsing
is tolerant and always returns the canonical form. Also finds the verification factor (last 4
digits of a phone or ID number) typed next to a code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_DOT = r"(?:\s*[.,]\s*|\s+)"
_DASH = r"(?:\s*[-–—_/]\s*|\s+)"
_CODE = re.compile(
    rf"(?<![0-9A-Z])(\d{{3}}){_DOT}(\d{{2}}){_DOT}(\d{{2}}){_DOT}([A-Z]\d{{2}})"
    rf"{_DASH}(\d{{6}}){_DASH}(\d{{4}})(?!\d)"
)
_CODE_ANY_CASE = re.compile(_CODE.pattern, re.IGNORECASE)
# A phone (10 digits) or citizen ID (12 digits), possibly grouped by spaces or dots.
_LONG_NUMBER = re.compile(r"(?<![\d.])\d(?:[ .]?\d){8,11}(?![\d])")
_FOUR_DIGITS = re.compile(r"(?<![\d.,/-])\d{4}(?![\d.,/-]\d)(?!\d)")
# Fragments of a code (agency part, province code, date-sequence part) in a mistyped code.
_CODE_LIKE = re.compile(r"\d{3}\s*[.,]\s*\d{2}|\b[hH]\d{2}\b|\d{6}\s*-\s*\d{3,4}")


@dataclass(frozen=True)
class CodeMatch:
    """A dossier code found in free text: canonical form and its span in the text."""

    code: str
    start: int
    end: int


def _valid_date(yymmdd: str) -> bool:
    try:
        date(2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        return False
    return True


def find_code(text: str) -> CodeMatch | None:
    """The first well-formed dossier code in `text` (any case, spaces allowed), or None."""
    for match in _CODE.finditer(text.upper()):
        a, b, c, agency, day, seq = match.groups()
        if _valid_date(day):
            return CodeMatch(f"{a}.{b}.{c}.{agency}-{day}-{seq}", match.start(), match.end())
    return None


def iter_code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every well-formed dossier code in `text`, any case."""
    return [(m.start(), m.end()) for m in _CODE_ANY_CASE.finditer(text)
            if _valid_date(m.group(5))]


def normalize_code(text: str) -> str | None:
    """The canonical code when `text` is exactly one dossier code (surrounding blanks and
    punctuation ignored), else None."""
    stripped = text.strip().strip(".,;:!?\"'()[]")
    match = find_code(stripped)
    if match is None or match.start != 0 or match.end != len(stripped):
        return None
    return match.code


def code_date(code: str) -> date | None:
    """The registration date encoded in a canonical code."""
    day = code.rsplit("-", 2)[-2] if code.count("-") >= 2 else ""
    if len(day) != 6 or not day.isdigit() or not _valid_date(day):
        return None
    return date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))


def find_verification(text: str) -> str | None:
    """A 4-digit verification factor in `text` (which should not contain the dossier code):
    the last 4 digits of a full phone/ID number if one is typed, else a standalone 4-digit
    number (the last one)."""
    long_numbers = _LONG_NUMBER.findall(text)
    if long_numbers:
        digits = re.sub(r"\D", "", long_numbers[-1])
        return digits[-4:]
    fours = _FOUR_DIGITS.findall(text)
    return fours[-1] if fours else None


def looks_like_code(text: str) -> bool:
    """Does `text` contain something that looks like an attempt at a dossier code?"""
    return bool(_CODE_LIKE.search(text))


def strip_code(text: str, match: CodeMatch | None) -> str:
    """`text` without the span of `match` (so the code's own digits are not taken as a
    verification factor)."""
    if match is None:
        return text
    return f"{text[: match.start]} {text[match.end :]}"
