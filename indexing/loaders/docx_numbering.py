"""Word's automatic numbering, reconstructed: python-docx keeps a paragraph's `w:numPr` (list id
and level) but not the number Word displays. `ListNumbering` counts paragraphs per list and
level like Word does and renders the level's `lvlText` ("%1.", "%1.%2.", "%3)") with its number
format (decimal, letters, roman); bullets become "-". Headings are marked for the chunker by
their style level ("Heading 2" → "## ")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PLACEHOLDER = re.compile(r"%([1-9])")
_HEADING_STYLE = re.compile(r"^(?:heading|tiêu đề|đề mục)\s*([1-6])$", re.IGNORECASE)
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))  # fmt: skip


@dataclass(frozen=True)
class Level:
    fmt: str  # "decimal", "lowerLetter", "upperRoman", "bullet", ...
    text: str  # "%1.", "%1.%2.", "%2)"
    start: int = 1


def _attr(element: object, name: str) -> str | None:
    return element.get(f"{_W}{name}") if element is not None else None  # type: ignore[attr-defined]


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while n > 0:
            n, rest = divmod(n - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    return str(n)


def _levels(abstract: object) -> dict[int, Level]:
    levels = {}
    for lvl in abstract.findall(f"{_W}lvl"):  # type: ignore[attr-defined]
        fmt = _attr(lvl.find(f"{_W}numFmt"), "val") or "decimal"
        text = _attr(lvl.find(f"{_W}lvlText"), "val") or ""
        start = int(_attr(lvl.find(f"{_W}start"), "val") or 1)
        levels[int(_attr(lvl, "ilvl") or 0)] = Level(fmt, text, start)
    return levels


class ListNumbering:
    """Numbers of one document's numbered paragraphs, in reading order."""

    def __init__(self, doc: DocxDocument) -> None:
        self.lists: dict[str, dict[int, Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            numbering = doc.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return  # no numbering part: nothing is numbered
        abstracts = {
            _attr(a, "abstractNumId"): _levels(a) for a in numbering.findall(f"{_W}abstractNum")
        }
        for num in numbering.findall(f"{_W}num"):
            abstract = _attr(num.find(f"{_W}abstractNumId"), "val")
            levels = dict(abstracts.get(abstract, {}))
            for override in num.findall(f"{_W}lvlOverride"):
                ilvl = int(_attr(override, "ilvl") or 0)
                start = _attr(override.find(f"{_W}startOverride"), "val")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.fmt, old.text, int(start))
            self.lists[_attr(num, "numId") or ""] = levels

    def label(self, paragraph: Paragraph) -> str:
        """The number Word shows before `paragraph` ("2.1.", "a)", "-" for a bullet; "")."""
        num_id, ilvl = _num_pr(paragraph)
        levels = self.lists.get(num_id or "")
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id or "", {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level.fmt == "bullet":
            return "-"
        if level.fmt == "none":
            return ""

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            at = levels.get(k, Level("decimal", "", 1))
            value = counters.get(k, at.start)
            return format_number(value, "decimal" if k != ilvl and at.fmt == "bullet" else at.fmt)

        return _PLACEHOLDER.sub(number, level.text).strip()


def _num_pr(paragraph: Paragraph) -> tuple[str | None, int]:
    """(numId, ilvl) from the paragraph, else from its style chain."""
    sources = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        sources.append(style.element.pPr)
        style = style.base_style
    for ppr in sources:
        num_pr = ppr.find(f"{_W}numPr") if ppr is not None else None
        if num_pr is not None:
            num_id = _attr(num_pr.find(f"{_W}numId"), "val")
            ilvl = int(_attr(num_pr.find(f"{_W}ilvl"), "val") or 0)
            return (None if num_id == "0" else num_id), ilvl
    return None, 0


def heading_level(paragraph: Paragraph) -> int:
    """1-6 for a paragraph in a heading style (or with an outline level), else 0."""
    style = paragraph.style
    while style is not None:
        m = _HEADING_STYLE.match(style.name or "")
        if m:
            return int(m.group(1))
        style = style.base_style
    ppr = paragraph._p.pPr
    outline = ppr.find(f"{_W}outlineLvl") if ppr is not None else None
    value = _attr(outline, "val")
    return int(value) + 1 if value is not None and int(value) < 6 else 0
