"""The curated TSV dictionaries in corpus/ (abbreviations, synonyms): one entry per line,
tab-separated columns, '#' comments, errors that name the file and the line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from assistant.core.errors import ConfigError
from assistant.core.text import normalize_text


def read_lines(path: Path | str, what: str) -> list[str]:
    """The file's lines; `what` names the dictionary in the error ("từ điển viết tắt / abbreviations")."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        vi, en = what.split(" / ")
        raise ConfigError(f"Không đọc được {vi} {path} / cannot read {en} file: {exc}") from exc


def rows(lines: list[str], source: str, expected: str) -> Iterator[list[str]]:
    """Normalised columns of each entry line (at least two, both non-empty). `expected` is the
    line shape for the error, e.g. "viết tắt<TAB>dạng đầy đủ / abbreviation<TAB>expansion"."""
    for number, raw in enumerate(lines, start=1):
        line = normalize_text(raw)
        if not line or line.startswith("#"):
            continue
        parts = [normalize_text(p) for p in raw.split("\t")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            vi, en = expected.split(" / ")
            raise ConfigError(f"{source}, dòng {number}: cần '{vi}' / line {number}: expected '{en}'")
        yield parts
