"""Splitting legal text into clauses and sentences, and picking the ones that answer a question.

Legal articles are lists: "1. ...", "a) ...", "- ...". A clause that ends with ":" introduces
its list, so it is kept together with the items that follow (up to a length budget).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.lexical import Idf, overlap_score, uniform_idf

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9\"“(])")
_ITEM_START = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-zđ]\)|[-–•+])\s+")
_MARKER_ONLY = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]$")


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
) -> list[Passage]:
    """The `limit` best-scoring passages of `text`, returned in their original order."""
    passages = split_passages(text)
    for p in passages:
        p.score = overlap_score(query_terms, p.text, idf)
    chosen = sorted(passages, key=lambda p: -p.score)[:limit]
    chosen = [p for p in chosen if p.score >= min_score] or passages[:1]
    return sorted(chosen, key=lambda p: p.index)


def shorten(text: str, max_chars: int = 600) -> str:
    """Cut at a word boundary with an ellipsis; quotes must stay verbatim otherwise."""
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"
