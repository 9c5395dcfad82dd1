"""Recognising the structure of Vietnamese legal text: Phần / Chương / Mục headings, Điều
headings and appendices (PHỤ LỤC) in free-form text (PDF pages, DOCX, Markdown, TXT).

Only line starts are examined, with the shapes used by Nghị định 30/2020/NĐ-CP on document
format: "Chương II", "Mục 1", "Điều 13. Tên điều", "PHỤ LỤC I". Markdown decorations ("## ",
"**") are ignored so demo and hand-written files parse like official ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s?|\*\*|__)+")
_MD_SUFFIX = re.compile(r"(?:\*\*|__)+\s*$")

_NUMBER = r"((?i:thứ)\s+[^\s.:]+|[IVXLC]+|\d+)"
_HEADINGS = (
    ("part", re.compile(rf"^(?i:phần)\s+{_NUMBER}(?![\w])\s*[.:\-–]?\s*(.*)$")),
    ("chapter", re.compile(r"^(?i:chương)\s+([IVXLC]+|\d+)(?![\w])\s*[.:\-–]?\s*(.*)$")),
    ("section", re.compile(r"^(?i:mục)\s+([IVXLC]+|\d+)(?![\w])\s*[.:\-–]?\s*(.*)$")),
)
_LABELS = {"part": "Phần", "chapter": "Chương", "section": "Mục"}
_LEVEL = {"part": 0, "chapter": 1, "section": 2}
ARTICLE = re.compile(r"^(?i:điều)\s+(\d+[a-zđ]?)\s*(?:[.:]\s*(.*))?$")
APPENDIX = re.compile(r"^PHỤ LỤC(?:\s+(?:SỐ\s+)?([IVXLC]+|\d+[A-Z]?)(?![\w]))?\s*[.:\-–]?\s*(.*)$")

MAX_HEADING_CHARS = 160  # longer lines are body text that happens to start with "Mục 1" etc.
MAX_ARTICLE_HEADING_CHARS = 320


def clean_line(line: str) -> str:
    """The line without Markdown heading/quote/bold decoration."""
    return _MD_SUFFIX.sub("", _MD_PREFIX.sub("", line.strip())).replace("**", "").strip()


@dataclass(frozen=True)
class Line:
    text: str
    page: int | None = None


@dataclass
class RawUnit:
    """A preamble, an article or an appendix found in free-form text."""

    kind: str  # "preamble" | "article" | "appendix"
    number: str = ""  # article number ("13"), appendix number ("I") or ""
    heading: str = ""  # "Điều 13. Tên điều", "PHỤ LỤC I ..."
    context: tuple[str, ...] = ()  # ("Chương II", "Mục 1")
    context_titles: tuple[str, ...] = ()  # ("Chương II. QUY ĐỊNH CHUNG", ...)
    page: int | None = None
    lines: list[Line] = field(default_factory=list)


def match_heading(text: str) -> tuple[str, str, str] | None:
    """(level, label, title) for a Phần/Chương/Mục heading line, e.g. ("chapter", "Chương II",
    "QUY ĐỊNH CHUNG"); None otherwise."""
    if len(text) > MAX_HEADING_CHARS:
        return None
    for level, pattern in _HEADINGS:
        m = pattern.match(text)
        if m:
            return level, f"{_LABELS[level]} {m.group(1)}", m.group(2).strip()
    return None


def match_article(text: str) -> tuple[str, str] | None:
    """(number, title) for a "Điều 13. Tên điều" line; None otherwise."""
    if len(text) > MAX_ARTICLE_HEADING_CHARS:
        return None
    m = ARTICLE.match(text)
    return (m.group(1), (m.group(2) or "").strip()) if m else None


def _is_title_line(text: str) -> bool:
    """A short, mostly upper-case line that names the heading above it ("QUY ĐỊNH CHUNG")."""
    letters = [c for c in text if c.isalpha()]
    if not letters or len(text) > MAX_HEADING_CHARS or match_article(text) or match_heading(text):
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= 0.6


def segment_document(lines: list[Line]) -> list[RawUnit]:
    """Split free-form lines into a preamble, articles and appendices; Phần/Chương/Mục headings
    are consumed into each article's context. Returns [] when the text has no article."""
    units = [RawUnit("preamble", page=lines[0].page if lines else None)]
    context: dict[str, tuple[str, str]] = {}  # level -> (label, label + title)
    i = 0
    while i < len(lines):
        text = clean_line(lines[i].text)
        page = lines[i].page
        heading = match_heading(text)
        if heading:
            level, label, title = heading
            if not title and i + 1 < len(lines) and _is_title_line(clean_line(lines[i + 1].text)):
                i += 1
                title = clean_line(lines[i].text)
            context = {k: v for k, v in context.items() if _LEVEL[k] < _LEVEL[level]}
            context[level] = (label, f"{label}. {title}" if title else label)
        elif article := match_article(text):
            ordered = [context[k] for k in sorted(context, key=_LEVEL.__getitem__)]
            units.append(
                RawUnit(
                    "article",
                    number=article[0],
                    heading=text,
                    context=tuple(label for label, _ in ordered),
                    context_titles=tuple(full for _, full in ordered),
                    page=page,
                )
            )
        elif appendix := APPENDIX.match(text):
            context = {}
            number = appendix.group(1) or ""
            units.append(RawUnit("appendix", number=number, heading=text, page=page))
        elif text:
            units[-1].lines.append(Line(text, page))
        i += 1
    if not any(u.kind == "article" for u in units):
        return []
    return [u for u in units if u.kind != "preamble" or u.lines]
