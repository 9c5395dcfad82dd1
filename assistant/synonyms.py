"""Everyday phrasing -> the words the legal texts use ("lái xe" -> "điều khiển phương tiện
giao thông", "quả thận" -> "bộ phận cơ thể người"), from a curated file in corpus/.

Citizens describe their situation; laws name categories. The legal terms are added to the query
(never replace it), so an answer still has to match what was asked. Phrases match case-blind;
a question typed without diacritics is matched against the phrases' folded forms (an accented
question only against the accented ones, so "tìm" never matches "tim")."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from assistant.tsv_dictionary import read_lines, rows
from assistant.core.text import fold_accents, normalize_text

log = logging.getLogger(__name__)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", normalize_text(text).lower()).split())


def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


class SynonymDictionary:
    """(phrase, legal terms) pairs; longer phrases are tried first."""

    def __init__(self, entries: list[tuple[str, str]]) -> None:
        self._entries = sorted(((_words(p), t) for p, t in entries), key=lambda e: -len(e[0]))
        self._accented = [(_pattern(p), t) for p, t in self._entries]
        self._folded = [(_pattern(fold_accents(p)), t) for p, t in self._entries]

    @classmethod
    def from_file(cls, path: Path | str) -> SynonymDictionary:
        return cls.from_lines(read_lines(path, "từ điển đồng nghĩa / synonyms"), source=str(path))

    @classmethod
    def from_lines(cls, lines: list[str], source: str = "<lines>") -> SynonymDictionary:
        entries = [
            (phrase, parts[1])
            for parts in rows(lines, source, "cụm từ<TAB>thuật ngữ / phrase<TAB>legal terms")
            for phrase in parts[0].split("|")
            if phrase.strip()
        ]
        log.debug("loaded %d synonym phrases from %s", len(entries), source)
        return cls(entries)

    def __len__(self) -> int:
        return len(self._entries)

    def terms_for(self, question: str) -> list[str]:
        """The legal terms for the everyday phrases in `question` (each once, in file order of
        the longest matches; a phrase inside a longer matched one is not counted again)."""
        text = _words(question)
        typed_plain = fold_accents(text) == text
        taken: list[tuple[int, int]] = []
        found: list[str] = []
        for pattern, terms in self._folded if typed_plain else self._accented:
            for match in pattern.finditer(text):
                span = match.span()
                if any(s <= span[0] and span[1] <= e for s, e in taken):
                    continue
                taken.append(span)
                if terms not in found:
                    found.append(terms)
        return found
