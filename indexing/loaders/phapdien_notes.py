"""Parsing a Pháp điển `p.pGhiChu` note into the article's original legal source.

The first article taken from a document carries the full note ("(Điều 1 Luật số 105/2016/QH13
Dược ngày 06/04/2016 của Quốc hội, có hiệu lực thi hành kể từ ngày 01/01/2017)"); later ones
only the number and effective date, so `NoteBook` fills title/issuer/issue date from the full
note of the same file (and the number's agency code as a last resort).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from assistant.core.domain import LegalSource
from assistant.core.legal_dates import EFFECTIVE_FROM, iso_date
from assistant.core.legal_numbers import NORMATIVE_TYPES, infer_from_number
from indexing.loaders.header import compose_title

_TYPES = "|".join(sorted({*NORMATIVE_TYPES, "Văn bản hợp nhất"}, key=len, reverse=True))
_NOTE = re.compile(
    rf"^[\s(]*(?P<article>.*?)\s*\b(?P<type>{_TYPES})\s+số\s+(?P<number>[^\s,;()]+)(?P<rest>.*)$",
    re.S,
)
_FULL = re.compile(
    r"^\s*(?P<subject>.*)\s+ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\s+của\s+"
    r"(?P<issuer>.+?)\s*$",
    re.S,
)


@dataclass(frozen=True)
class SourceNote:
    """What one note says: the source, and any amendment/repeal remark after it."""

    source: LegalSource
    status: str = ""
    full: bool = False  # carried title, issue date and issuer itself


def _article(raw: str) -> str:
    raw = raw.strip(" (,")
    return f"Điều {raw}" if raw[:1].isdigit() else raw


def parse_note(text: str) -> SourceNote | None:
    """The note's source fields, or None when it does not name a document number."""
    text = " ".join(text.split())
    match = _NOTE.match(text)
    if not match:
        return None
    number = match.group("number").rstrip(".")
    head, _, tail = match.group("rest").partition("có hiệu lực thi hành")
    tail = "có hiệu lực thi hành" + tail if tail else ""
    full = _FULL.match(head.strip(" ,"))
    effective = EFFECTIVE_FROM.search(tail)
    status = tail[effective.end() :].strip(" ,;)") if effective else ""
    doc_type = match.group("type")
    source = LegalSource(
        document_number=number,
        document_type=doc_type,
        title=compose_title(doc_type, full.group("subject"), number) if full else "",
        issuer=full.group("issuer").strip(" ,") if full else "",
        issue_date=iso_date(full["d"], full["m"], full["y"]) if full else "",
        effective_date=iso_date(*effective.groups()) if effective else "",
        original_article=_article(match.group("article")),
    )
    return SourceNote(source=source, status=status, full=bool(full))


class NoteBook:
    """Title/issuer/issue date per document number, learnt from a file's full notes."""

    def __init__(self) -> None:
        self._full: dict[str, LegalSource] = {}

    def learn(self, note: SourceNote | None) -> None:
        if note is not None and note.full:
            self._full.setdefault(note.source.document_number, note.source)

    def complete(self, note: SourceNote) -> LegalSource:
        src = note.source
        known = self._full.get(src.document_number)
        inferred_type, inferred_issuer = infer_from_number(src.document_number)
        fallback_title = compose_title(src.document_type, "", src.document_number)
        return replace(
            src,
            title=src.title or (known.title if known else fallback_title),
            issuer=src.issuer or (known.issuer if known else inferred_issuer),
            issue_date=src.issue_date or (known.issue_date if known else ""),
            document_type=src.document_type or inferred_type,
        )
