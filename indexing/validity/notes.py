"""Pháp điển remarks after a source note: "có nội dung được sửa đổi bởi Điều 1 Nghị định số
48/2013/NĐ-CP có hiệu lực thi hành kể từ ngày 01/07/2013; Điều 1 Nghị định số 92/2017/NĐ-CP
…", "bị bãi bỏ bởi Điều 3 Luật số 28/2018/QH14 …": the changes made TO the article."""

from __future__ import annotations

import re

from assistant.core.domain import DocumentRelation
from assistant.core.legal_dates import EFFECTIVE_FROM, iso_date
from assistant.core.legal_numbers import NUMBER, find_articles

_ENTRY = re.compile(rf"^(?P<part>.*?)\bsố\s+(?P<number>{NUMBER.pattern})", re.IGNORECASE)


def kinds_of(remark: str) -> list[str]:
    """"có nội dung bị bãi bỏ, có nội dung được sửa đổi" -> ["repeals", "amends"]."""
    found = []
    for cue, kind in (("bãi bỏ", "repeals"), ("hết hiệu lực", "repeals"), ("sửa đổi", "amends"),
                      ("bổ sung", "amends")):  # fmt: skip
        if cue in remark and kind not in found:
            found.append(kind)
    return found


def parse_change_note(remark: str) -> list[DocumentRelation]:
    """One relation per (kind, changing document); `target` is left empty (the article the
    remark belongs to), `articles` are the changing document's articles."""
    parts = re.split(r"(?:^|\s)(?:bởi|theo quy định tại)\s", remark, maxsplit=1)
    head, tail = (parts[0], parts[1]) if len(parts) == 2 else (remark, "")
    sep = bool(tail)
    kinds = kinds_of(head.lower()) or ["amends"]  # "bởi Điều 74 Luật số …" names no kind
    relations = []
    for entry in tail.split(";") if sep else []:
        match = _ENTRY.search(entry.strip())
        if not match:
            continue
        date = EFFECTIVE_FROM.search(entry)
        effective = iso_date(*date.groups()) if date else ""
        articles = tuple(find_articles(match.group("part") or ""))
        relations += [
            DocumentRelation(kind, "", articles, match["number"].rstrip(".,"), "", effective)  # type: ignore[arg-type]
            for kind in kinds
        ]
    return relations
