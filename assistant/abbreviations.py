"""The curated abbreviation dictionary (`corpus/abbreviations.tsv`) and query expansion.

Citizens and staff write "BHYT", "gphd", "CCHN"; the regulations spell the words out. Each
abbreviation is matched case-insensitively, with or without its diacritics ("GPHĐ" = "gphd"),
and only as a whole word.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.core.settings import ABBREVIATIONS_FILE
from assistant.core.text import fold_accents, fold_words
from assistant.tsv_dictionary import read_lines, rows

log = logging.getLogger(__name__)

_WORD = re.compile(r"[^\W_]+(?:[/&-][^\W_]+)*")


@dataclass(frozen=True)
class Expansion:
    abbreviation: str  # as written in the dictionary, e.g. "GPHĐ"
    expansion: str  # e.g. "giấy phép hoạt động"
    start: int  # span of the match in the query
    end: int
    keep: bool = False  # the documents use the abbreviation itself ("HIV"): do not replace it


def _key(token: str) -> str:
    return fold_accents(token).upper()


class AbbreviationDictionary:
    """abbreviation -> expansions, keyed by the accent-folded upper-case form."""

    def __init__(self, entries: dict[str, list[tuple[str, str]]], keep: set[str] | None = None) -> None:
        self._entries = entries
        self._keep = keep or set()

    @classmethod
    def from_file(cls, path: Path | str) -> AbbreviationDictionary:
        return cls.from_lines(read_lines(path, "từ điển viết tắt / abbreviations"), source=str(path))

    @classmethod
    def from_lines(cls, lines: list[str], source: str = "<lines>") -> AbbreviationDictionary:
        entries: dict[str, list[tuple[str, str]]] = {}
        keep: set[str] = set()
        for parts in rows(lines, source, "viết tắt<TAB>dạng đầy đủ / abbreviation<TAB>expansion"):
            abbr, expansion = parts[0], parts[1]
            entries.setdefault(_key(abbr), []).append((abbr, expansion))
            if len(parts) > 2 and parts[2].lower() in ("keep", "giữ"):
                keep.add(_key(abbr))
        log.debug("loaded %d abbreviations from %s", len(entries), source)
        return cls(entries, keep)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, token: str) -> bool:
        return _key(token) in self._entries

    def expansions(self, token: str) -> list[str]:
        return [exp for _, exp in self._entries.get(_key(token), [])]

    def folded_words(self) -> dict[str, str]:
        """One-word abbreviation -> its first expansion, both accent-folded, lower case and
        without punctuation (what a matcher on folded text sees: "kcb" -> "kham benh chua
        benh"). Entries marked `keep` stand for themselves ("hiv" -> "hiv")."""
        table: dict[str, str] = {}
        for key, entries in self._entries.items():
            word = " ".join(fold_words(key))
            if " " in word or not word:
                continue  # "HIV/AIDS", "TN&TKQ": never one word of folded text
            table[word] = word if key in self._keep else " ".join(fold_words(entries[0][1]))
        return table

    def find(self, text: str, skip: list[tuple[int, int]] = ()) -> list[Expansion]:
        """Abbreviations in `text`, except inside the `skip` spans (e.g. document numbers)."""
        found: list[Expansion] = []
        for match in _WORD.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in skip):
                continue
            token = match.group(0)
            entries = self._entries.get(_key(token))
            if not entries or not _plausible(token, entries[0][0]):
                continue
            keep = _key(token) in self._keep
            for abbr, expansion in entries:
                found.append(Expansion(abbr, expansion, match.start(), match.end(), keep))
        return found


@lru_cache(maxsize=1)
def curated_dictionary() -> AbbreviationDictionary:
    """The curated dictionary (`corpus/abbreviations.tsv`), read once per process."""
    return AbbreviationDictionary.from_file(ABBREVIATIONS_FILE)


def _plausible(token: str, abbr: str) -> bool:
    """A typed token stands for the abbreviation unless its diacritics contradict it
    ("tế" is not "TE"): either no diacritics, or the same letters as the dictionary form."""
    return fold_accents(token) == token or token.upper() == abbr.upper()


def expand_text(text: str, found: list[Expansion], *, keep_abbreviation: bool) -> str:
    """Replace each matched abbreviation by its first expansion; with keep_abbreviation the
    abbreviation stays in brackets so an exact lexical match is still possible. Entries marked
    `keep` in the dictionary are written the way the dictionary spells them."""
    out, cursor, seen = [], 0, set()
    for item in sorted(found, key=lambda e: e.start):
        if item.start in seen:
            continue
        seen.add(item.start)
        out.append(text[cursor : item.start])
        original = text[item.start : item.end]
        if item.keep:
            out.append(item.abbreviation)  # "hiv" -> "HIV", as the documents write it
        else:
            out.append(f"{item.expansion} ({original})" if keep_abbreviation else item.expansion)
        cursor = item.end
    out.append(text[cursor:])
    return "".join(out)
