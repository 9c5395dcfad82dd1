"""From a Document to its citable units: one per structured section (Pháp điển / ALQAC article),
or, for free-form text, a preamble, one per Điều and one per appendix; text with no Điều at all
becomes one unit per page."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.domain import Document, LegalSource, Section
from indexing.chunking.structure import (
    Line,
    RawUnit,
    clean_line,
    match_heading,
    segment_document,
)

_LABEL_IN_HEADING = re.compile(r"^((?i:điều)\s+\S+?)\.?(?:\s|$)")


@dataclass
class LegalUnit:
    unit_id: str
    article_label: str  # "Điều 13", "Điều 45.4.LQ.13", "Phần mở đầu", "Phụ lục I", "Trang 3"
    heading: str  # the unit's heading line ("" when none)
    context: tuple[str, ...]  # structural path above the unit, e.g. ("Chương II",)
    lines: list[Line]
    page: int | None
    has_clauses: bool = True  # False: plain text, packed by paragraph only
    source: LegalSource | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def document_units(document: Document) -> Iterator[LegalUnit]:
    """Units in document order. Consecutive free-form sections are read as one text."""
    base = document.document_number or document.doc_id
    free: list[Section] = []
    for section in document.sections:
        if section.unit_id:
            yield from _free_units(base, free)
            free = []
            yield _structured_unit(section)
        else:
            free.append(section)
    yield from _free_units(base, free)


def _structured_unit(section: Section) -> LegalUnit:
    heading = section.heading.strip()
    m = _LABEL_IN_HEADING.match(heading)
    label = section.metadata.get("label") or (
        m.group(1) if m else f"Điều {section.unit_id.rsplit('#', 1)[-1]}"
    )
    lines = [Line(t, section.page) for t in section.text.splitlines() if t.strip()]
    title = heading[m.end() :].strip() if m else ""
    if lines and lines[0].text.strip() in {heading, title} - {""}:
        lines = lines[1:]  # the body repeats its own heading
    context, titles = split_path(section.path)
    metadata = dict(section.metadata)
    if titles != context:
        metadata.setdefault("context_titles", list(titles))
    return LegalUnit(
        unit_id=section.unit_id,
        article_label=label,
        heading=heading,
        context=context,
        lines=lines,
        page=section.page,
        has_clauses=not section.metadata.get("table"),  # table rows are packed by row only
        source=section.source,
        metadata=metadata,
    )


def split_path(path: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """("Chương I", "NHỮNG QUY ĐỊNH CHUNG") -> labels ("Chương I",) and titles ("Chương I.
    NHỮNG QUY ĐỊNH CHUNG",): a heading's title, given as its own element, leaves the path."""
    labels: list[str] = []
    titles: list[str] = []
    pending = False  # the last element was a heading label still waiting for its title
    for element in (e.strip() for e in path if e.strip()):
        heading = match_heading(element)
        if heading:
            _, label, title = heading
            labels.append(label)
            titles.append(f"{label}. {title}" if title else label)
            pending = not title
        elif pending:
            titles[-1] = f"{labels[-1]}. {element}"
            pending = False
        else:
            labels.append(element)
            titles.append(element)
    return tuple(labels), tuple(titles)


def _free_units(base: str, sections: list[Section]) -> Iterator[LegalUnit]:
    if not sections:
        return
    lines = [
        Line(text, s.page)
        for s in sections
        for text in ([s.heading] if s.heading else []) + s.text.splitlines()
        if text.strip()
    ]
    source = next((s.source for s in sections if s.source is not None), None)
    raw = segment_document(lines)
    if not raw:
        for unit in _page_units(base, lines):
            unit.source = source
            yield unit
        return
    seen: Counter[str] = Counter()
    for unit in raw:
        key = _unit_key(unit)
        seen[key] += 1
        # A decision and the regulation it issues both start at "Điều 1": keep ids distinct.
        suffix = f"({seen[key]})" if seen[key] > 1 else ""
        yield LegalUnit(
            unit_id=f"{base}#{key}{suffix}",
            article_label=_raw_label(unit),
            heading=unit.heading,
            context=unit.context,
            lines=unit.lines,
            page=unit.page,
            source=source,
            metadata={"context_titles": list(unit.context_titles)} if unit.context_titles else {},
        )


def _unit_key(unit: RawUnit) -> str:
    if unit.kind == "article":
        return unit.number
    if unit.kind == "appendix":
        return f"phuluc-{unit.number}" if unit.number else "phuluc"
    return "preamble"


def _raw_label(unit: RawUnit) -> str:
    if unit.kind == "article":
        return f"Điều {unit.number}"
    if unit.kind == "appendix":
        return f"Phụ lục {unit.number}".strip()
    return "Phần mở đầu"


def _page_units(base: str, lines: list[Line]) -> Iterator[LegalUnit]:
    """No Điều anywhere: one unit per page (the whole text is page 1 when pages are unknown)."""
    pages: dict[int | None, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(Line(clean_line(line.text), line.page))
    for page, page_lines in pages.items():
        number = page if page is not None else 1
        yield LegalUnit(
            unit_id=f"{base}#p{number}",
            article_label=f"Trang {page}" if page is not None else "",
            heading="",
            context=(),
            lines=[ln for ln in page_lines if ln.text],
            page=page,
            has_clauses=False,
        )
