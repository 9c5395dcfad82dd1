"""Vietnamese legal document numbers ("46/2018/TT-BYT", "105/2016/QH13", "DEMO-02/2025/HD-SYT")
found in running text, and the key under which two spellings of one number match."""

from __future__ import annotations

import re

from assistant.core.text import fold_accents

# An optional letter prefix ("DEMO-"), the serial, an optional year, then the type/agency codes.
NUMBER = re.compile(
    r"(?<![\w/])(?:[A-ZĐ]{2,8}-)?\d{1,5}[a-z]?/(?:(?:19|20)\d{2}/)?[A-ZĐ][A-Za-zĐđ0-9]*"
    r"(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*"
)
ARTICLE = re.compile(r"\bĐiều\s+(\d+[a-zđ]?)\b")
_ARTICLE_LIST = re.compile(r"\b(?:các\s+)?Điều\s+(\d+[a-zđ]?(?:\s*(?:,|và)\s*(?:Điều\s+)?\d+[a-zđ]?)*)")
_LEADING_ZEROS = re.compile(r"(?<![\d])0+(?=\d)")


def number_key(number: str) -> str:
    """"08/2020/TT-BYT", "8/2020/tt-byt" and "8/2020/TT-BYT." share one key."""
    text = fold_accents(number.strip().rstrip(".,;:)")).upper().replace(" ", "")
    return _LEADING_ZEROS.sub("", text)


def find_numbers(text: str) -> list[str]:
    """Document numbers in the order they appear (each once)."""
    return list(dict.fromkeys(m.group(0).rstrip(".-") for m in NUMBER.finditer(text)))


PART = " (một phần)"  # marks an article of which only a khoản / điểm is named
_CLAUSE_BEFORE = re.compile(r"\b(?:khoản|điểm)\s+[\w]+(?:\s*(?:,|và)\s*[\w]+)*\s+(?:của\s+)?$", re.IGNORECASE)


def find_articles(text: str) -> list[str]:
    """"Điều 22", "khoản 2 Điều 5 và Điều 7", "các Điều 5, 6 và 7" -> ["Điều 22"], ["Điều 5
    (một phần)", "Điều 7"], ["Điều 5", "Điều 6", "Điều 7"]: article level, with " (một phần)"
    when only a khoản / điểm of the article is named."""
    found: list[str] = []
    for match in _ARTICLE_LIST.finditer(text):
        numbers = re.findall(r"\d+[a-zđ]?", match.group(1))
        part = PART if _CLAUSE_BEFORE.search(text[max(0, match.start() - 40) : match.start()]) else ""
        found += [f"Điều {n}{part if i == 0 else ''}" for i, n in enumerate(numbers)]
    return list(dict.fromkeys(found))


def is_partial(article: str) -> bool:
    return article.endswith(PART)


def article_key(article: str) -> str:
    """"Điều 22" / "điều 22." / "22" -> "22"."""
    match = re.search(r"\d+[a-zđ]?", article.lower())
    return match.group(0) if match else ""
