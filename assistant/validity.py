"""Never an outdated rule as current: each retrieved provision's status at answer time, the
newer provision preferred (and fetched when it is indexed but was not retrieved), and one line
saying what changed ("Điều 3 … đã được sửa đổi, bổ sung bởi … có hiệu lực từ …").

Statuses come from a `StatusBook` (the manifest: changes that indexed documents make to others,
by number, plus admin edits), so they follow new uploads without re-indexing the old document.
A question about the past ("trước đây", "năm 2020", a date) gets the old rule, labelled as such;
with a date, the rule in force on that date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Protocol

from assistant.answering.citations import article_name, document_name, legal_source
from assistant.core.domain import Answer, DocumentRecord, DocumentRelation, ScoredChunk, SearchFilter
from assistant.core.text import fold_accents
from assistant.core.legal_numbers import article_key, infer_from_number, is_partial

Search = Callable[[SearchFilter, int], list[ScoredChunk]]
NOT_CURRENT = ("amended", "replaced", "expired")
_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\b")
_MONTH = re.compile(r"\bthang\s+(\d{1,2})(?:/|\s+nam\s+)((?:19|20)\d{2})\b")
_BEFORE_YEAR = re.compile(r"\btruoc\s+(?:nam\s+)?((?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b(?:nam|vao|trong)\s+((?:19|20)\d{2})\b")


class StatusBook(Protocol):
    """What the index knows about changes between documents (indexing/validity/book.py)."""

    def changes_to(self, key: str) -> Sequence[DocumentRelation]:
        """Changes made to the document with this number (or doc_id)."""
        ...

    def document(self, doc_id: str) -> DocumentRecord | None: ...


@dataclass
class ProvisionStatus:
    validity: str = "in_force"  # at the date that matters: in_force | amended | replaced | expired
    changes: list[DocumentRelation] = field(default_factory=list)  # those that apply
    later: list[DocumentRelation] = field(default_factory=list)  # made after the asked date
    not_yet: bool = False  # the provision itself was not in force yet on the asked date
    ended: str = ""  # the document's own end date, reached by today (first day not in force)


def asked_date(folded_question: str) -> str:
    """The date a question asks about ("ngày 15/3/2021", "tháng 5/2023", "trước năm 2024",
    "năm 2020" -> end of that year), "" when none."""
    if m := _DAY.search(folded_question):
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    if m := _MONTH.search(folded_question):
        return _iso(int(m[2]), int(m[1]), 28)
    if m := _BEFORE_YEAR.search(folded_question):
        return _iso(int(m[1]) - 1, 12, 31)
    if m := _YEAR.search(folded_question):
        return _iso(int(m[1]), 12, 31)
    return ""


def _iso(y: int, m: int, d: int) -> str:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return ""


def _number(hit: ScoredChunk) -> str:
    return str(legal_source(hit.chunk).get("document_number") or hit.chunk.document_number or "")


def _touches(change: DocumentRelation, article: str) -> bool:
    if change.kind == "replaces" or not change.articles:
        return True
    return bool(article) and article_key(article) in {article_key(a) for a in change.articles}


def _partly(change: DocumentRelation, article: str) -> bool:
    """Only a khoản / điểm of this article is changed ("bãi bỏ khoản 2 Điều 7")."""
    key = article_key(article)
    named = [a for a in change.articles if article_key(a) == key]
    return bool(named) and all(is_partial(a) for a in named)


def provision_status(hit: ScoredChunk, book: StatusBook, when: str, today: str) -> ProvisionStatus:
    chunk = hit.chunk
    article = article_name(chunk)
    keys = [k for k in (_number(hit), chunk.doc_id) if k]
    changes = [
        c for k in keys for c in book.changes_to(k)
        if c.source_doc_id != chunk.doc_id and _touches(c, article)
    ]  # fmt: skip
    changes = list(dict.fromkeys(changes))
    status = ProvisionStatus(
        changes=[c for c in changes if not c.effective_date or c.effective_date <= when],
        later=[c for c in changes if when < (c.effective_date or "") <= today],
    )
    kinds = {c.kind for c in status.changes}
    whole_repeal = any(c.kind == "repeals" and not c.articles for c in status.changes)
    repealed_here = any(c.kind == "repeals" and not _partly(c, article) for c in status.changes if c.articles)
    status.validity = (
        "replaced" if "replaces" in kinds else "expired" if whole_repeal or repealed_here
        else "amended" if kinds else "in_force"
    )  # fmt: skip
    record = book.document(chunk.doc_id)
    status.ended = own_end(record, today)
    if status.ended and status.ended <= when and status.validity in ("in_force", "amended"):
        status.validity = "expired"
    if record is not None and when == today and status.validity == "in_force" and record.validity in ("replaced", "expired"):
        status.validity = record.validity  # an admin's or sidecar's word, without a relation
    effective = (record.effective_date if record else "") or str(legal_source(chunk).get("effective_date") or "")
    status.not_yet = bool(effective) and when < effective
    return status


def own_end(record: DocumentRecord | None, today: str) -> str:
    """The document's own end date ("có hiệu lực đến hết ngày …") once reached, unless an admin
    set its status; "" otherwise."""
    if record is None or "validity" in record.override:
        return ""
    end = record.declared.get("expiry_date", "")
    return end if end and end <= today else ""


def _last_day(end: str) -> str:
    return _date((date.fromisoformat(end) - timedelta(days=1)).isoformat())


def _date(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) == 10 else iso


def _source_name(change: DocumentRelation, book: StatusBook) -> str:
    record = book.document(change.source_doc_id) if change.source_doc_id else None
    doc_type = (record.document_type if record else "") or infer_from_number(change.source)[0]
    number = change.source or (record.title if record else "")
    return f"{doc_type} số {number}".strip() if change.source else number


def describe(hit: ScoredChunk, changes: list[DocumentRelation], book: StatusBook) -> str:
    """"Điều 3 Thông tư số 10/2020/TT-TEST đã được sửa đổi, bổ sung bởi Thông tư số
    05/2024/TT-TEST, có hiệu lực từ 01/07/2024" (several changes joined by "; ")."""
    chunk = hit.chunk
    doc = document_name(chunk) or chunk.title
    article = article_name(chunk)
    parts = []
    for change in changes:
        by = _source_name(change, book)
        since = f", có hiệu lực từ {_date(change.effective_date)}" if change.effective_date else ""
        subject = f"{article} {doc}".strip() if change.articles else doc
        verb = {"replaces": "đã được thay thế bởi", "amends": "đã được sửa đổi, bổ sung bởi"}.get(
            change.kind, "đã bị bãi bỏ một phần bởi" if _partly(change, article) else "đã bị bãi bỏ bởi")
        parts.append(f"{subject} {verb} {by}{since}")
    return "; ".join(dict.fromkeys(parts))


class ValidityPolicy:
    """Annotates and orders retrieved hits by their status on the date that matters."""

    def __init__(self, book: StatusBook, today: Callable[[], str] | None = None, newer_per_hit: int = 1) -> None:
        self.book = book
        self.today = today or (lambda: date.today().isoformat())
        self.newer_per_hit = newer_per_hit

    def apply(
        self, hits: list[ScoredChunk], *, question: str, history: bool, filters: SearchFilter,
        search: Search | None = None,
    ) -> list[ScoredChunk]:
        hits = [ScoredChunk(replace(h.chunk, metadata=dict(h.chunk.metadata)), h.score, h.scores) for h in hits]
        today = self.today()
        asked = asked_date(fold_accents(question).lower()) if history else ""
        when = min(asked, today) if asked else today
        statuses = {h.chunk.chunk_id: provision_status(h, self.book, when, today) for h in hits}
        if history and not asked:
            ordered = self._past_first(hits, statuses)
        else:
            ordered = self._current_first(hits, statuses, filters, search)
        for hit in ordered:
            status = statuses.get(hit.chunk.chunk_id) or provision_status(hit, self.book, when, today)
            self._annotate(hit, status, history=history, when=when if asked else "")
        return ordered

    # --- ordering ------------------------------------------------------------------------
    def _current_first(self, hits, statuses, filters, search) -> list[ScoredChunk]:
        out: list[ScoredChunk] = []
        tail: list[ScoredChunk] = []
        placed: set[str] = set()
        for hit in hits:
            status = statuses[hit.chunk.chunk_id]
            if hit.chunk.chunk_id in placed:
                continue
            if status.validity == "in_force" and not status.not_yet:
                out.append(hit)
                placed.add(hit.chunk.chunk_id)
                continue
            for newer in self._newer(hit, status, hits, filters, search):
                if newer.chunk.chunk_id not in placed:
                    out.append(newer)
                    placed.add(newer.chunk.chunk_id)
            # an amended article, or a document past its own end date that nothing replaces, keeps
            # its rank (labelled): moving it behind unrelated passages would answer something else
            (out if status.validity == "amended" or status.ended else tail).append(hit)
            placed.add(hit.chunk.chunk_id)
        return out + tail

    def _newer(self, hit, status, hits, filters, search) -> list[ScoredChunk]:
        sources = tuple(dict.fromkeys(c.source_doc_id for c in status.changes if c.source_doc_id))
        if not sources:
            return []
        found = [h for h in hits if h.chunk.doc_id in sources][: self.newer_per_hit]
        if not found and search is not None:
            restricted = replace(filters, doc_ids=sources, validities=None)
            found = [ScoredChunk(h.chunk, hit.score, {**h.scores, "newer": 1.0})
                     for h in search(restricted, self.newer_per_hit)]  # fmt: skip
        return found

    @staticmethod
    def _past_first(hits, statuses) -> list[ScoredChunk]:
        old = [h for h in hits if statuses[h.chunk.chunk_id].validity in NOT_CURRENT]
        return old + [h for h in hits if h not in old]

    # --- labels --------------------------------------------------------------------------
    def _annotate(self, hit: ScoredChunk, status: ProvisionStatus, *, history: bool, when: str) -> None:
        chunk = hit.chunk
        chunk.validity = status.validity  # type: ignore[assignment]
        record = self.book.document(chunk.doc_id)
        effective = (record.effective_date if record else "") or str(legal_source(chunk).get("effective_date") or "")
        if effective:
            chunk.metadata["effective_date"] = effective
        if status.ended:
            chunk.metadata["expiry_date"] = status.ended
        name = document_name(chunk) or chunk.title
        note = ""
        if status.changes:
            text = describe(hit, status.changes, self.book)
            if history:
                note = f"Quy định trước đây: {text}; nội dung trích dẫn là quy định cũ."
            else:
                note = f"Lưu ý: {text}."
        elif status.ended and status.validity == "expired":
            until = f"{name} chỉ áp dụng đến hết ngày {_last_day(status.ended)}"
            ended = f"đã hết hiệu lực từ ngày {_date(status.ended)}"
            note = (f"Quy định trước đây: {until}; nội dung trích dẫn là quy định cũ." if history
                    else f"Lưu ý: {until}, {ended}; nội dung trích dẫn không còn áp dụng.")  # fmt: skip
        elif status.ended and when:
            ends = f"{name} hết hiệu lực từ ngày {_date(status.ended)}"
            note = f"Quy định áp dụng tại thời điểm {_date(when)}; sau đó {ends}."
        elif status.later:
            note = f"Quy định áp dụng tại thời điểm {_date(when)}; sau đó {describe(hit, status.later, self.book)}."
        elif status.not_yet:
            after = f", sau thời điểm {_date(when)}" if when else " (chưa có hiệu lực)"
            note = f"Lưu ý: {document_name(chunk) or chunk.title} có hiệu lực từ {_date(effective)}{after}."
        elif record is not None and status.validity in ("replaced", "expired"):
            replaced = f" bởi {record.replaced_by}" if record.replaced_by else ""
            verb = f"đã được thay thế{replaced}" if status.validity == "replaced" else "đã hết hiệu lực"
            note = f"Lưu ý: {document_name(chunk) or chunk.title} {verb}."
        if note and chunk.document_type == "Bộ Pháp điển":
            note += " Bộ Pháp điển trong chỉ mục có thể chưa cập nhật thay đổi này."
        if note:
            chunk.metadata["status_note"] = note


def with_status_line(answer: Answer) -> Answer:
    """The answer with its cited provisions' status notes on top (one line each, usually one),
    pointing to the citation of the newer document when it is cited too."""
    if answer.refused:
        return answer
    lines = []
    for note in dict.fromkeys(c.status_note for c in answer.citations if c.status_note):
        newer = [
            i for i, c in enumerate(answer.citations, start=1)
            if c.document_number and not c.status_note
            and c.document_number in note.partition(" bởi ")[2]  # a changing document
        ]  # fmt: skip
        lines.append(note + (f" Quy định mới: xem [{newer[0]}]." if newer else ""))
    if not lines:
        return answer
    return replace(answer, answer="\n".join(lines[:2]) + "\n\n" + answer.answer)
