"""Lexical overlap on accent-folded syllables: how much of a question (or an answer sentence) a
passage covers. Used to pick answer sentences, to estimate evidence strength and to verify that
a cited passage supports an LLM's sentence. Vietnamese words are mostly two syllables, so
syllable bigrams are counted alongside single syllables."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from assistant.core.text import fold_accents

_TOKEN = re.compile(r"[^\W_]+(?:[./-][^\W_]+)*")

# Function syllables and question words that say nothing about the topic. A syllable typed
# with diacritics is checked against the accented list; one typed without them only against
# the folded forms that are unambiguous ("duoc" may be "dược", so it is never a stop word).
_STOP_ACCENTED = frozenset(
    """
    ạ à ai anh ấy bị bởi các cái cần cho chứ có còn của cũng đã đang đây để đến đều đi đó đối
    được gì giờ hay hoặc hỏi khi không là lại làm lên lúc mà mình mọi một muốn nào nè nếu người
    nhiều như những nơi nữa ở ơi phải qua ra rằng rất rồi sao sẽ sau tại thế theo thì thôi trên
    trong từ tôi tui và vẫn vào về vì với vậy xin em chào nhé nha này kia hơn bao nhiêu mấy
    """.split()
)
_AMBIGUOUS_FOLDED = frozenset(
    "anh bao bi cac cai can chu co con cung da dang day de doi duoc ma moi noi qua rang the thi "
    "thoi tai tu van vi nha nay hon lai di do".split()
)
_STOP_FOLDED = frozenset(fold_accents(w) for w in _STOP_ACCENTED) - _AMBIGUOUS_FOLDED


@lru_cache(maxsize=100_000)
def fold_word(word: str) -> str:
    """fold_accents for one short token, memoised (questions and passages repeat words)."""
    return fold_accents(word)


def is_stopword(syllable: str) -> bool:
    """`syllable` as typed, lower case."""
    folded = fold_word(syllable)
    if folded == syllable:
        return syllable in _STOP_FOLDED
    return syllable in _STOP_ACCENTED


Idf = Callable[[str], float]


def tokens(text: str) -> list[str]:
    """Folded lower-case syllables (document numbers such as "46/2018/tt-byt" stay whole)."""
    return _TOKEN.findall(fold_accents(text).lower())


def content_terms(text: str) -> set[str]:
    """Topic-bearing terms (folded): syllables that are not stop words, plus bigrams of two
    adjacent such syllables."""
    raw = _TOKEN.findall(text.lower())
    folded = [fold_word(t) for t in raw]
    stop = [is_stopword(t) for t in raw]
    unigrams = {f for f, s in zip(folded, stop) if not s and (len(f) > 1 or f.isdigit())}
    bigrams = {
        f"{folded[i]} {folded[i + 1]}"
        for i in range(len(raw) - 1)
        if not (stop[i] or stop[i + 1])
    }
    return unigrams | bigrams


def uniform_idf(term: str) -> float:
    return 1.0


def coverage(query_terms: set[str], passage_terms: set[str], idf: Idf = uniform_idf) -> float:
    """Share (IDF-weighted) of the query's content terms that occur in the passage."""
    if not query_terms:
        return 0.0
    weights = {t: _weight(t, idf) for t in query_terms}
    total = sum(weights.values())
    found = sum(w for t, w in weights.items() if t in passage_terms)
    return found / total if total else 0.0


def _weight(term: str, idf: Idf) -> float:
    parts = term.split(" ")
    base = sum(idf(p) for p in parts) / len(parts)
    return base * (1.5 if len(parts) > 1 else 1.0)


def overlap_score(query_terms: set[str], sentence: str, idf: Idf = uniform_idf) -> float:
    """Coverage of the query by one sentence, mildly favouring short, dense sentences."""
    terms = content_terms(sentence)
    cov = coverage(query_terms, terms, idf)
    length = max(len(tokens(sentence)), 1)
    return cov / (1.0 + 0.15 * math.log1p(length / 40.0))


def corpus_idf(doc_freq: dict[str, int], n_docs: int) -> Idf:
    """IDF from a syllable document-frequency table (unknown syllables count as rare)."""

    def idf(term: str) -> float:
        df = doc_freq.get(term, 0)
        return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))

    return idf


def join_terms(texts: Iterable[str]) -> set[str]:
    out: set[str] = set()
    for text in texts:
        out |= content_terms(text)
    return out
