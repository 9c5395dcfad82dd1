"""Splitting legal text into clauses and sentences, and picking the ones that answer a question.

Legal articles are lists: "1. ...", "a) ...", "- ...". A clause that ends with ":" introduces
its list, so it is kept together with the items that follow (up to a length budget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.lexical import Idf, overlap_score, uniform_idf
from assistant.core.text import fold_accents

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9\"“(])")
_ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-zđ]\)|[-–•+])\s+")
_MARKER_ONLY = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]$")


# What a question asks for (matched on the folded question) and how an answering clause
# usually says it (matched on the folded clause): "bao lâu" is answered by "trong thời hạn 7 ngày".
_INTENTS = (
    (re.compile(r"\b(bao lau|may ngay|bao nhieu ngay|khi nao|thoi han bao)\b"),
     re.compile(r"\b(thoi han|trong vong|ke tu|\d+\s*(ngay|thang|nam|gio))\b")),
    (re.compile(r"\b(bao nhieu tien|phi|le phi|muc dong|muc phat|muc huong|bao nhieu phan tram)\b"),
     re.compile(r"\b(phi|le phi|dong|\d+\s*%|muc)\b")),
    (re.compile(r"\b(bao nhieu tuoi|may tuoi|do tuoi)\b"), re.compile(r"\btuoi\b")),
    (re.compile(r"\b(ai co tham quyen|co quan nao|don vi nao|ai cap|ai giai quyet)\b"),
     re.compile(r"\b(tham quyen|co quan|bo truong|bo y te|so y te|uy ban)\b")),
    (re.compile(r"\b(o dau|noi nao|dia diem|cho nao)\b"), re.compile(r"\b(tai|noi|dia diem|co so)\b")),
)
INTENT_BONUS = 0.25


def intent_patterns(question: str) -> list[re.Pattern[str]]:
    folded = fold_accents(question).lower()
    return [answer for asked, answer in _INTENTS if asked.search(folded)]


@dataclass
class Passage:
    """A selectable piece of text: a clause, or a clause with its list items."""

    text: str
    index: int  # position in the chunk
    score: float = 0.0


def split_passages(text: str, max_chars: int = 700) -> list[Passage]:
    """Lines, split further at sentence ends; a line ending in ':' absorbs its list items."""
    pieces: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        pieces.extend(_sentences(line))
    passages: list[Passage] = []
    i = 0
    while i < len(pieces):
        current = pieces[i]
        i += 1
        if current.endswith(":"):
            while i < len(pieces) and _ITEM_START.match(pieces[i]):
                if len(current) + len(pieces[i]) > max_chars:
                    current += " …"
                    while i < len(pieces) and _ITEM_START.match(pieces[i]):
                        i += 1
                    break
                current = f"{current}\n{pieces[i]}"
                i += 1
        passages.append(Passage(current, len(passages)))
    return passages


def _sentences(line: str) -> list[str]:
    """Sentences of one line; a list marker ("1.", "a)") stays with the text it numbers."""
    out: list[str] = []
    for part in (p.strip() for p in _SENTENCE_END.split(line)):
        if not part:
            continue
        if out and _MARKER_ONLY.match(out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out or [line]


def best_passages(
    query_terms: set[str],
    text: str,
    *,
    limit: int = 2,
    idf: Idf = uniform_idf,
    min_score: float = 0.05,
    intents: list[re.Pattern[str]] = (),
) -> list[Passage]:
    """The `limit` best-scoring passages of `text`, returned in their original order.
    `intents` (from `intent_patterns(question)`) favour clauses that state what was asked."""
    passages = split_passages(text)
    for p in passages:
        p.score = overlap_score(query_terms, p.text, idf)
        folded = fold_accents(p.text).lower()
        p.score += INTENT_BONUS * sum(1 for cue in intents if cue.search(folded))
    chosen = sorted(passages, key=lambda p: -p.score)[:limit]
    chosen = [p for p in chosen if p.score >= min_score] or passages[:1]
    return sorted(chosen, key=lambda p: p.index)


def leading_passages(text: str, max_chars: int = 900) -> list[Passage]:
    """The article from its beginning, as far as `max_chars` allows (at least one passage)."""
    out: list[Passage] = []
    used = 0
    for p in split_passages(text):
        if out and used + len(p.text) > max_chars:
            break
        out.append(p)
        used += len(p.text)
    return out


def shorten(text: str, max_chars: int = 600) -> str:
    """Cut at a word boundary with an ellipsis; quotes must stay verbatim otherwise."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
