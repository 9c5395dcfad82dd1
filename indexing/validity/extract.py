"""What a regulation says about its own validity: its effective date ("có hiệu lực (thi hành)
kể từ ngày …") and the changes it makes to other documents ("sửa đổi, bổ sung (một số điều
của) …", "thay thế …", "bãi bỏ …", "… hết hiệu lực"), with target numbers and articles.

Quoted new wording (“…”) is ignored: an amending law quotes the new text of the articles it
changes, and that text is not a change of its own. "Căn cứ" lines only cite the legal basis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from assistant.core.domain import DocumentRelation
from assistant.core.legal_dates import DATE_PARTS as _DATE, iso_date
from assistant.core.legal_numbers import DOCUMENT_TYPES, NUMBER, find_articles, find_numbers
from indexing.validity.expiry import expiry_date

_EFFECTIVE = re.compile(
    r"có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:(?:kể\s+)?từ\s+)?(?:ngày\s+)?"
    rf"(?:{_DATE}|(?P<signed>ký(?:\s+ban\s+hành)?|ban\s+hành))"
    r"|có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+sau\s+(?P<days>\d{1,3})\s+ngày\s+kể\s+từ\s+ngày\s+(?:ký|ban\s+hành)",
    re.IGNORECASE,
)
_SELF = re.compile(r"\bnày\s*$|\bnày\s+(?:chính thức\s+)?$", re.IGNORECASE)
_TYPES = "|".join(sorted({*DOCUMENT_TYPES, "văn bản", "Bộ luật"}, key=len, reverse=True))
_PART = r"(?:(?:các\s+)?(?:điểm|khoản|Điều|Chương|Mục|Phụ lục)\s+[\w.,\s]*?(?:của\s+)?)?"
_TRIGGERS = {
    "amends": rf"sửa\s+đổi,?\s+bổ\s+sung|sửa\s+đổi|bổ\s+sung",
    "replaces": r"thay\s+thế(?:\s+cho)?",
    "repeals": r"bãi\s+bỏ|hủy\s+bỏ|huỷ\s+bỏ",
}
_ACTIVE = {
    kind: re.compile(
        rf"(?<![Đđ]ược\s)(?<!bị\s)(?:{trigger})\s+(?:một\s+số\s+điều\s+(?:của\s+)?)?{_PART}"
        rf"(?:(?:các\s+)?(?:{_TYPES})\b|số\s+\d)",
        re.IGNORECASE,
    )
    for kind, trigger in _TRIGGERS.items()
}
# "Thông tư số X … hết hiệu lực (kể từ ngày Thông tư này có hiệu lực)" / "… được thay thế bằng"
_PASSIVE = re.compile(
    r"(?:hết\s+hiệu\s+lực(?:\s+thi\s+hành)?|(?:được|bị)\s+thay\s+thế\s+bằng|bị\s+bãi\s+bỏ)"
    r"(?=[^.;]*\bnày\b)",
    re.IGNORECASE,
)
_NESTED = re.compile(
    r"\b(?:đã\s+được|được|bị)\s+(?:sửa\s+đổi|bổ\s+sung|thay\s+thế|bãi\s+bỏ)|\bngày\s+\d|\bcủa\s+(?:Quốc hội|Chính phủ|Bộ|Ủy ban|UBND|Thủ tướng)",
    re.IGNORECASE,
)
# "1. Sửa đổi, bổ sung khoản 3 Điều 22 như sau:" inside an amending document (no number named)
_ORPHAN = re.compile(
    r"^\s*(?:\d+[a-zđ]?\.|[a-zđ]\)|Điều\s+\d+[a-zđ]?\.)?\s*(?P<verb>Sửa\s+đổi,?\s+bổ\s+sung|Sửa\s+đổi|"
    r"Bổ\s+sung|Bãi\s+bỏ|Thay\s+thế)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_ORPHAN_END = re.compile(r"\b(?:như\s+sau|vào\s+(?:sau|trước|cuối))\b", re.IGNORECASE)
# new wording quoted with “…”, or with straight quotes opening a line (possibly many lines)
_QUOTED = re.compile(r'“[^”]*”|(?m:^[ \t]*"[^"]*")', re.S)
_SKIP_LINE = re.compile(r"^\s*(?:[-*>#]+\s*)?(?:Căn\s+cứ|Theo\s+đề\s+nghị|Xét\s)", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;](?=\s|$)|\n")
_LIST_ITEM = re.compile(r"^\s*(?:[-–•+]|[a-zđ]\)|\d+[.)])\s+")


@dataclass(frozen=True)
class ValidityFacts:
    effective_date: str = ""
    relations: tuple[DocumentRelation, ...] = ()
    expiry_date: str = ""  # first day it no longer applies, by its own words (expiry.py)


def extract_validity(text: str, *, issue_date: str = "", own_number: str = "") -> ValidityFacts:
    """The document's effective date, its own end date and the changes it makes (targets other
    than itself)."""
    plain = _QUOTED.sub("“…”", text)
    effective = effective_date(plain, issue_date)
    return ValidityFacts(
        effective_date=effective,
        relations=tuple(find_relations(plain, own_number=own_number)),
        expiry_date=expiry_date(plain, issue_date=issue_date, effective=effective),
    )


def effective_date(text: str, issue_date: str = "") -> str:
    """The document's own effective date: a "<văn bản> này có hiệu lực …" sentence first, else
    the first effective date that does not belong to another numbered document."""
    fallback = ""
    for match in _EFFECTIVE.finditer(text):
        sentence = text[max(0, match.start() - 160) : match.start()]
        sentence = re.split(r"[.;\n]", sentence)[-1]
        value = _date_of(match, issue_date)
        if not value:
            continue
        if _SELF.search(sentence):
            return value
        if not fallback and not NUMBER.search(sentence):
            fallback = value
    return fallback


def _date_of(match: re.Match[str], issue_date: str) -> str:
    if match.group("d"):
        return iso_date(match["d"], match["m"], match["y"])
    if not issue_date:
        return ""
    if match.group("days"):
        return (date.fromisoformat(issue_date) + timedelta(days=int(match["days"]))).isoformat()
    return issue_date


def find_relations(text: str, *, own_number: str = "") -> list[DocumentRelation]:
    """Changes named with a target number, then article-level changes of an amending document
    ("1. Sửa đổi, bổ sung khoản 3 Điều 22 …") attributed to its first amended target."""
    found: list[DocumentRelation] = []
    orphans: list[tuple[str, tuple[str, ...]]] = []
    lines = _QUOTED.sub("“…”", text).splitlines()
    for i, line in enumerate(lines):
        if _SKIP_LINE.match(line):
            continue
        named = _named(line, lines[i + 1 : i + 12])
        found += named
        if not named and (orphan := _orphan(line)):
            orphans.append(orphan)
    own = own_number.strip()
    found = [r for r in found if r.target != own]
    primary = next((r for r in found if r.kind == "amends"), None)
    if primary is not None:
        for kind, articles in orphans:
            found.append(replace(primary, kind=kind, articles=articles))
    return _merge(found)


def _named(line: str, following: list[str]) -> list[DocumentRelation]:
    out: list[DocumentRelation] = []
    for kind, pattern in _ACTIVE.items():
        for match in pattern.finditer(line):
            # "…, được sửa đổi bởi X" / "ngày …" / "của Bộ …" inside the clause name other things
            clause = _NESTED.split(_clause(line, match.start(), following), maxsplit=1)[0]
            before_number = NUMBER.split(clause, maxsplit=1)[0]
            targets = find_numbers(clause[len(before_number) :])
            articles = tuple(find_articles(before_number))
            out += [DocumentRelation(kind, t, articles) for t in targets]  # type: ignore[arg-type]
    for match in _PASSIVE.finditer(line):
        start = max(line.rfind(".", 0, match.start()), line.rfind(";", 0, match.start())) + 1
        targets = find_numbers(line[start : match.start()])
        kind = "repeals" if re.match(r"(?:hết|bị\s+bãi)", match.group(0), re.I) else "replaces"
        out += [DocumentRelation(kind, t) for t in targets]  # type: ignore[arg-type]
    return out


def _clause(line: str, start: int, following: list[str]) -> str:
    rest = line[start:]
    end = _CLAUSE_END.search(rest)
    clause = rest[: end.start()] if end else rest
    if clause.rstrip().endswith(":") and not NUMBER.search(clause):
        items = []
        for nxt in following:
            if not _LIST_ITEM.match(nxt):
                break
            items.append(nxt)
        clause += " " + " ".join(items)
    return clause


def _orphan(line: str) -> tuple[str, tuple[str, ...]] | None:
    match = _ORPHAN.match(line)
    if not match:
        return None
    rest = _ORPHAN_END.split(match.group("rest"), maxsplit=1)[0]
    articles = tuple(find_articles(rest))
    if not articles or NUMBER.search(rest):
        return None
    verb = match.group("verb").lower()
    kind = "repeals" if verb.startswith("bãi") else "replaces" if verb.startswith("thay") else "amends"
    return ("amends" if kind == "replaces" else kind), articles


def _merge(relations: list[DocumentRelation]) -> list[DocumentRelation]:
    """One relation per (kind, target); article lists joined; a whole-document change wins."""
    merged: dict[tuple[str, str], DocumentRelation] = {}
    whole: set[tuple[str, str]] = set()
    for rel in relations:
        key = (rel.kind, rel.target)
        if not rel.articles:
            whole.add(key)
        old = merged.get(key)
        articles = tuple(dict.fromkeys((old.articles if old else ()) + rel.articles))
        merged[key] = replace(rel, articles=articles)
    return [
        replace(r, articles=()) if (k in whole and r.kind != "amends") else r
        for k, r in merged.items()
    ]
