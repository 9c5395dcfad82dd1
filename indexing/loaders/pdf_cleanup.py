"""PDF text artefacts: words hyphenated across line breaks, running headers/footers repeated on
most pages, and bare page numbers ("- 3 -", "Trang 3", "3", "3/12")."""

from __future__ import annotations

import re
from collections import Counter

_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_])-\n(?=[^\W\d_A-ZĐ])")
_PAGE_NUMBER = re.compile(
    r"^(?:[-–—]\s*\d{1,4}\s*[-–—]|(?:trang|page)\s*\d{1,4}(?:\s*(?:/|of|trên)\s*\d{1,4})?"
    r"|\d{1,4}(?:\s*/\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")
_STRUCTURE = re.compile(
    r"^(điều|chương|mục|phần|phụ lục|khoản|điểm)\s|^(\d+|[a-zđ])[.)]\s", re.IGNORECASE
)
SHORT_LINE_WORDS = 8  # only short lines (running headers, footers) match with digits ignored
EDGE_LINES = 2  # headers/footers are looked for among a page's first and last lines


def join_hyphenated(text: str) -> str:
    """"bảo hiể-\\nm" style breaks: join a word split by a hyphen at the end of a line when
    the next line continues in lowercase."""
    return _HYPHEN_BREAK.sub("", text)


def _edge_indexes(lines: list[str]) -> set[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    edge = EDGE_LINES if len(filled) > 3 * EDGE_LINES else 1
    return set(filled[:edge] + filled[-edge:])


def _key(line: str) -> str:
    words = line.lower().split()
    text = " ".join(words)
    return _DIGITS.sub("#", text) if len(words) <= SHORT_LINE_WORDS else text


def repeated_edge_lines(pages: list[list[str]], min_share: float = 0.6) -> set[str]:
    """Keys of lines found at the top or bottom of most pages (needs at least 3 pages)."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edges = (lines[i] for i in _edge_indexes(lines))
        counts.update({_key(line) for line in edges if not _STRUCTURE.match(line.strip())})
    needed = max(3, int(min_share * len(pages) + 0.999))
    return {key for key, n in counts.items() if n >= needed and key.strip("# ")}


def clean_pdf_pages(pages: list[str]) -> list[str]:
    """Per page: drop page numbers and running headers/footers at its edges, join hyphenated
    line breaks. Pages stay in place (an emptied page becomes "")."""
    split = [join_hyphenated(page).splitlines() for page in pages]
    repeated = repeated_edge_lines([lines for lines in split if any(s.strip() for s in lines)])
    cleaned = []
    for lines in split:
        edges = _edge_indexes(lines)
        kept = [
            line
            for i, line in enumerate(lines)
            if i not in edges
            or not (_PAGE_NUMBER.match(line.strip()) or _key(line) in repeated)
        ]
        cleaned.append("\n".join(kept).strip())
    return cleaned
