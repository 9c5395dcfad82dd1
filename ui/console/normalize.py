"""The normalised form of a question, shared by the unanswered-question groups and the curated
answer matcher: Unicode-normalised, abbreviations spelled out (BHYT -> bảo hiểm y tế),
accent-folded, lower case, stop words and question words dropped, word order ignored."""

from __future__ import annotations

from assistant.abbreviations import AbbreviationDictionary, curated_dictionary, expand_text
from assistant.answering.lexical import is_stopword
from assistant.core.text import fold_accents, normalize_text

# Question words and politeness that say nothing about the topic, beyond the lexical stop
# words: as typed with diacritics, and the folded forms that cannot be a topic word
# ("duoc" may be "dược", "co" may be "cơ": never dropped when typed without diacritics).
_EXTRA_STOP = frozenset("gì thế nào đâu hỏi ạ vậy sao không nhỉ như là bao nhiêu mấy".split())
_EXTRA_STOP_FOLDED = frozenset("gi nao dau khong nhi".split())


def content_words(question: str, abbreviations: AbbreviationDictionary | None = None) -> list[str]:
    """Topic words of a question, folded, in order, without repeats."""
    text = normalize_text(question or "")
    abbr = abbreviations if abbreviations is not None else curated_dictionary()
    text = expand_text(text, abbr.find(text), keep_abbreviation=False)
    words: list[str] = []
    for raw in text.lower().replace("?", " ").split():
        token = raw.strip(".,;:!\"'()[]…")
        folded = fold_accents(token)
        if not token or is_stopword(token) or token in _EXTRA_STOP or (
                folded == token and folded in _EXTRA_STOP_FOLDED):
            continue
        if folded not in words:
            words.append(folded)
    return words


def question_key(question: str, abbreviations: AbbreviationDictionary | None = None) -> str:
    """The grouping key: sorted topic words ("" when a question has none)."""
    return " ".join(sorted(content_words(question, abbreviations)))


def coverage(part: set[str], whole: set[str]) -> float:
    """Share of `part`'s words that are in `whole` (0 for no words)."""
    return len(part & whole) / len(part) if part else 0.0


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
