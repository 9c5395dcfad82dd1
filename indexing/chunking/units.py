"""From a Document to its citable units: one per structured section (Pháp điển / ALQAC article),
or, for free-form text, a preamble, one per Điều and one per appendix; text with no Điều is cut at
its numbered headings (one unit per section of a guideline, see `outline`), and text with
neither becomes one unit per page. Each attachment (Phụ lục, "… (Ban hành kèm theo …)") is
segmented on its own, under its own title."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.core.domain import Document, LegalSource, Section
from indexing.chunking.attachments import Part, split_attachments
from indexing.chunking.outline import OutlineSection, segment_outline
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
    seen: Counter[str] = Counter()
    for part in split_attachments(lines):
        part_source = attachment_source(source, part.label) if part.key else source
        for unit in _part_units(base, part):
            # A decision and the regulation it issues both start at "Điều 1": keep ids distinct.
            key = unit.unit_id
            seen[key] += 1
            unit.unit_id = f"{base}#{key}" + (f"({seen[key]})" if seen[key] > 1 else "")
            unit.source = part_source
            yield unit


def attachment_source(source: LegalSource | None, label: str) -> LegalSource:
    """An attachment is cited by its own title, with the document that issued it:
    "Quy trình kỹ thuật … (ban hành kèm theo Quyết định số 123/QĐ-SYT)"."""
    if source is None or not source.document_number:
        return LegalSource(title=label)
    issuer = " ".join(p for p in (source.document_type, "số", source.document_number) if p)
    kind = " ".join(label.split()[:2])  # "Quy trình", "Hướng dẫn", "Phụ lục": its own kind
    return replace(source, title=f"{label} (ban hành kèm theo {issuer})", document_type=kind)


def _part_units(base: str, part: Part) -> Iterator[LegalUnit]:
    """The units of the main text or of one attachment; `unit_id` holds only the key."""
    prefix = f"{part.key}/" if part.key else ""
    above = (part.label,) if part.key else ()
    if raw := segment_document(part.lines):
        for unit in raw:
            titles = above + unit.context_titles
            yield LegalUnit(
                unit_id=prefix + _unit_key(unit),
                article_label=_raw_label(unit),
                heading=unit.heading,
                context=above + unit.context,
                lines=unit.lines,
                page=unit.page,
                metadata={"context_titles": list(titles)} if titles else {},
            )
    elif outline := segment_outline(part.lines):
        yield from _outline_units(prefix, above, outline)
    elif part.key:
        first, *rest = part.lines
        yield LegalUnit(
            unit_id=part.key, article_label=part.label, heading=clean_line(first.text),
            context=(), lines=rest, page=first.page,
        )  # fmt: skip
    else:
        for unit in _page_units(base, part.lines):
            unit.unit_id = unit.unit_id.split("#", 1)[1]
            yield unit


def _outline_units(
    prefix: str, above: tuple[str, ...], sections: list[OutlineSection]
) -> Iterator[LegalUnit]:
    for index, section in enumerate(sections):
        following = sections[index + 1] if index + 1 < len(sections) else None
        if not section.lines and following is not None and following.level > section.level:
            continue  # a heading with only sub-sections: it lives on in their path
        if section.number:
            label = f"Mục {section.number}"
        else:
            label = section.heading[:80] if section.key else "Phần mở đầu"
        yield LegalUnit(
            unit_id=prefix + (f"s-{section.key}" if section.key else "preamble"),
            article_label=label,
            heading=section.heading,
            context=above + tuple(h[:80] for h in section.context),
            lines=section.lines,
            page=section.page,
            has_clauses=False,
            # breadcrumbs show the heading itself ("3.2. Thuốc hạ sốt"), not just "Mục 3.2"
            metadata={"outline": True, "path_label": section.heading[:80] or label},
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
