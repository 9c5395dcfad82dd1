"""Query understanding for Vietnamese users: normalisation (NFC, tone marks), questions typed
without diacritics, abbreviation expansion, exact references and "asks about old versions".

`QueryAnalyzer.analyze(text)` returns a `QueryAnalysis` with one text for the dense embedder
(abbreviations spelled out; diacritics restored when a restorer is given) and one for the sparse
encoder (the question plus the expansions, so both "BHYT" and "bảo hiểm y tế" can match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from assistant.core.domain import ScoredChunk, SearchFilter
from assistant.core.interfaces import Retriever

from assistant.abbreviations import AbbreviationDictionary, Expansion, expand_text
from assistant.references import Reference, find_references
from assistant.synonyms import SynonymDictionary
from assistant.core.text import fold_accents, normalize_text

_LETTERS = re.compile(r"[^\W\d_]")
_HISTORY_WORDS = re.compile(
    r"\b(?:het hieu luc|het hlpl|bi thay the|da thay the|bi bai bo|bai bo|truoc day|truoc kia|"
    r"van ban cu|quy dinh cu|ban cu|con hieu luc khong|tai thoi diem|thoi diem nam|lich su)\b"
)
_DATE = re.compile(
    r"\b\d{1,2}/\d{1,2}/(?:19|20)\d{2}\b|\b(?:truoc|vao|trong|tu|den|nam)\s+(?:nam\s+)?(?:19|20)\d{2}\b"
)


class DiacriticRestorer(Protocol):
    """Puts the diacritics back on a question typed without them, from corpus statistics."""

    def restore(self, text: str) -> str: ...


@dataclass
class QueryAnalysis:
    text: str  # normalised question
    folded: str  # accent-folded, lower case
    lacks_diacritics: bool  # typed without Vietnamese diacritics
    dense_text: str  # for the dense embedder
    sparse_text: str  # for the sparse encoder
    references: list[Reference] = field(default_factory=list)
    expansions: list[Expansion] = field(default_factory=list)
    wants_history: bool = False  # asks about expired/replaced texts or gives a date
    restored: str = ""  # diacritics restored ("" when not needed or no restorer)
    legal_terms: list[str] = field(default_factory=list)  # from everyday phrasing (synonyms)


def lacks_diacritics(text: str) -> bool:
    """True for Vietnamese typed without accents: has letters, none of them accented, and at
    least two words (a lone acronym says nothing)."""
    letters = _LETTERS.findall(text)
    return len(text.split()) >= 2 and bool(letters) and fold_accents(text) == text


def wants_history(folded_lower: str) -> bool:
    return bool(_HISTORY_WORDS.search(folded_lower) or _DATE.search(folded_lower))


class QueryAnalyzer:
    """Stateless apart from its dictionary and optional restorer; safe to share."""

    def __init__(
        self,
        abbreviations: AbbreviationDictionary | None = None,
        restorer: DiacriticRestorer | None = None,
        synonyms: SynonymDictionary | None = None,
        synonyms_in_dense: bool = True,
    ) -> None:
        self.abbreviations = abbreviations or AbbreviationDictionary({})
        self.restorer = restorer
        self.synonyms = synonyms or SynonymDictionary([])
        self.synonyms_in_dense = synonyms_in_dense

    def analyze(self, question: str) -> QueryAnalysis:
        text = normalize_text(question)
        folded = fold_accents(text).lower()
        refs = find_references(text)
        skip = [r.span for r in refs if r.kind != "article"]
        found = self.abbreviations.find(text, skip=skip)
        no_marks = lacks_diacritics(text)
        restored = ""
        if no_marks and self.restorer is not None:
            restored = self.restorer.restore(text)
            restored = restored[:1].upper() + restored[1:]
        base = restored or text
        if restored:
            found_base = self.abbreviations.find(base, skip=[r.span for r in find_references(base)])
        else:
            found_base = found
        dense = expand_text(base, found_base, keep_abbreviation=False)
        # the restored question folds back to the typed one, so the sparse encoder's folded
        # terms are unchanged and its accented words can match too
        extra = " ".join(dict.fromkeys(e.expansion for e in found if not e.keep))
        sparse = f"{base} {extra}" if extra else base
        legal_terms = self.synonyms.terms_for(text)
        if legal_terms:  # everyday phrasing -> the legal texts' words, added never substituted
            sparse = f"{sparse} {' '.join(legal_terms)}"
            if self.synonyms_in_dense:
                dense = f"{dense} ({', '.join(legal_terms)})"
        return QueryAnalysis(
            text=text,
            folded=folded,
            lacks_diacritics=no_marks,
            dense_text=dense,
            sparse_text=sparse,
            references=refs,
            expansions=found,
            wants_history=wants_history(folded),
            restored=restored,
            legal_terms=legal_terms,
        )


class UnderstandingRetriever(Retriever, Protocol):
    """A Retriever whose two halves can be called apart: understanding a question, then
    searching for the understood question. The chat service adds the conversation's context
    (the units of the previous answer) in between."""

    def analyze(self, query: str) -> QueryAnalysis: ...

    def retrieve_analyzed(
        self, analysis: QueryAnalysis, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]: ...
