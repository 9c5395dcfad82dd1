"""Exact references in a question: document numbers ("46/2018/TT-BYT"), article references
("Điều 13 Luật Dược"), Pháp điển unit ids ("45.4.LQ.13") and TTHC codes ("1.013614").

Matching is done on accent-folded upper-case text, so "nd-cp" finds "NĐ-CP". A chunk matches a
reference when its own metadata says so (`chunk_matches`); nothing is guessed from its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.core.domain import Chunk
from assistant.core.legal_numbers import FOLDED_NUMBER
from assistant.core.text import fold_accents

# "context_unit": a unit carried over from the previous answer of the conversation
ReferenceKind = Literal["document_number", "article", "unit_id", "tthc_code", "context_unit"]

_UNIT_ID = re.compile(r"\b\d{1,2}\.\d{1,2}\.(?:LQ|ND|TT|TL|NQ|QD|PL|UBTVQH|CT)(?:\.\d+)+\b")
_TTHC_CODE = re.compile(r"(?<![\d.])\d\.\d{6}(?:\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?(?![\d.]*\d)")
_ARTICLE = re.compile(r"\bDIEU\s+(\d{1,3}[A-Z]?)\b")
_DOC_TYPES = (
    "LUAT", "BO LUAT", "NGHI DINH", "THONG TU LIEN TICH", "THONG TU", "QUYET DINH",
    "NGHI QUYET", "PHAP LENH", "CHI THI",
)
_TITLE_STOP = re.compile(r"[;:?!()\"]|\b(?:QUY DINH|THI|LA|CO|KHONG|NHU THE NAO|GI|NAO|VE VIEC|NOI)\b")
_PUNCT = re.compile(r"[^\w/ -]+")
_TYPE_RE = re.compile(r"\b(" + "|".join(_DOC_TYPES) + r")\b(?:\s+SO)?\s*")


@dataclass(frozen=True)
class Reference:
    kind: ReferenceKind
    value: str  # folded upper: "46/2018/TT-BYT", "45.4.LQ.13", "1.013614", article "13"
    document: str = ""  # for an article: the folded document it belongs to ("LUAT DUOC", a number)
    span: tuple[int, int] = (0, 0)


def fold_key(text: str) -> str:
    return " ".join(fold_accents(text).upper().split())


def find_references(text: str) -> list[Reference]:
    """All exact references in the question (positions refer to `text`; folding keeps lengths
    except for rare combining marks, which normalised text does not have)."""
    key = fold_accents(text).upper()
    refs: list[Reference] = []
    for m in _UNIT_ID.finditer(key):
        refs.append(Reference("unit_id", m.group(0), span=m.span()))
    for m in _TTHC_CODE.finditer(key):
        if not _inside(m.span(), refs):
            refs.append(Reference("tthc_code", m.group(0), span=m.span()))
    numbers = [m for m in FOLDED_NUMBER.finditer(key) if "/" in m.group(0)]
    for m in numbers:
        if not _inside(m.span(), refs):
            refs.append(Reference("document_number", m.group(0), span=m.span()))
    for m in _ARTICLE.finditer(key):
        if _inside(m.span(), refs):
            continue
        refs.append(Reference("article", m.group(1), _article_document(key, m.end()), m.span()))
    return refs


def _inside(span: tuple[int, int], refs: list[Reference]) -> bool:
    return any(r.span[0] < span[1] and span[0] < r.span[1] for r in refs)


def _article_document(key: str, pos: int) -> str:
    """The document named right after "Điều N" (skipping "khoản/điểm" parts), if any."""
    rest = key[pos : pos + 160]
    rest = re.sub(r"^\s*(?:,?\s*(?:KHOAN|DIEM)\s+[0-9A-Z]{1,3}\s*)*", " ", rest)
    rest = re.sub(r"^\s*(?:CUA|TAI|THEO|TRONG)\s+", " ", rest).strip()
    number = FOLDED_NUMBER.match(rest)
    if number:
        return number.group(0)
    type_match = _TYPE_RE.match(rest)
    if not type_match:
        return ""
    tail = rest[type_match.end() :]
    number = FOLDED_NUMBER.match(tail)
    if number:
        return number.group(0)
    title = _TITLE_STOP.split(tail, maxsplit=1)[0]
    title = re.split(r"\s+(?:NAM\s+\d{4}|\d{4})\b", title, maxsplit=1)[0].strip()
    return title_key(f"{type_match.group(1)} {title}")


def title_key(text: str) -> str:
    """Folded title words; a doubled leading word ("Luật Luật phòng, chống ...", as some
    Pháp điển notes read) counts once."""
    words = _PUNCT.sub(" ", fold_key(text)).split()
    if len(words) > 1 and words[0] == words[1]:
        words = words[1:]
    return " ".join(words)


def chunk_matches(chunk: Chunk, ref: Reference) -> bool:
    """True when the chunk's own metadata identifies it as the referenced unit/document."""
    if ref.kind in ("unit_id", "tthc_code", "context_unit"):
        unit, wanted = fold_key(chunk.unit_id), fold_key(ref.value)
        return unit == wanted or unit.startswith(wanted + "#")
    source = chunk.metadata.get("legal_source") or {}
    numbers = {fold_key(chunk.document_number), fold_key(str(source.get("document_number", "")))}
    if ref.kind == "document_number":
        return ref.value in numbers
    article = fold_key(str(source.get("original_article", "")) or chunk.article_label)
    if article not in (f"DIEU {ref.value}",) and not article.startswith(f"DIEU {ref.value} "):
        return False
    if not ref.document:
        return True
    if ref.document in numbers:
        return True
    return any(same_title(ref.document, t) for t in _titles(chunk, source))


def same_title(asked: str, title: str) -> bool:
    """"LUAT DUOC" names "LUAT DUOC"; a longer question tail ("LUAT DUOC HIEN HANH") or a
    shortened title ("LUAT PHONG CHONG MA TUY" for the full name) still matches word-wise."""
    a, t = asked.split(), title.split()
    n = min(len(a), len(t))
    return n >= 2 and a[:n] == t[:n]


def _titles(chunk: Chunk, source: dict) -> set[str]:
    doc_type = title_key(str(source.get("document_type", "")) or chunk.document_type)
    names = {title_key(chunk.title), title_key(str(source.get("title", "")))}
    out = set()
    for name in names - {""}:
        out.add(name)
        if doc_type and not name.startswith(doc_type):
            out.add(f"{doc_type} {name}")
    return out
