"""The outline of professional documents without Điều (hướng dẫn chẩn đoán và điều trị, quy trình
kỹ thuật, phác đồ): numbered headings "I.", "A.", "1.", "1.1.", "2.3.4." and headings marked by
the loader ("## " for a Word heading style) become a tree of sections.

A numbered line is a heading only when its numbering continues the outline ("2.3." after
"2.2." or right under "2."), its title starts with a capital letter and it reads like a title
(short, not a sentence ending in ";" or ","): a numbered list inside a section restarts at "1."
and stays body text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexing.chunking.structure import Line, clean_line

_MARKED = re.compile(r"^(#{1,6})\s+")  # a Word heading style, as the DOCX loader writes it
_ROMAN = re.compile(r"^([IVXLC]{1,7})[.)]\s+(\S.*)$")
_UPPER = re.compile(r"^([A-ZĐ])[.)]\s+(\S.*)$")
_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})(\.|\))?\s+(\S.*)$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
MAX_TITLE_WORDS = 20
MAX_SENTENCE_TITLE_WORDS = 12  # a heading ending in "." is at most this long
LEVEL_ROMAN, LEVEL_UPPER, LEVEL_DECIMAL = 1, 2, 3  # decimal depth d sits at LEVEL_DECIMAL + d - 1


def roman_value(text: str) -> int:
    total = 0
    for i, ch in enumerate(text):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[text[i + 1]] if i + 1 < len(text) else 0
        total += -value if value < following else value
    return total


@dataclass
class OutlineSection:
    """A heading and the lines up to the next heading."""

    key: str  # unique in the outline: "II", "II-1", "2.3", "h4"; "" before the first heading
    heading: str  # the heading line ("2.3. Điều trị cụ thể")
    level: int
    number: str = ""  # the heading's own number ("1", "2.3"; "" for a styled heading)
    context: tuple[str, ...] = ()  # headings above, outermost first
    page: int | None = None
    lines: list[Line] = field(default_factory=list)


def _reads_like_title(title: str) -> bool:
    letters = [c for c in title if c.isalpha()]
    if not letters or not letters[0].isupper():
        return False
    words = title.split()
    if len(words) > MAX_TITLE_WORDS or title.endswith((";", ",")) or "..." in title or "…" in title:
        return False
    return not (title.endswith(".") and len(words) > MAX_SENTENCE_TITLE_WORDS)


class _Numbering:
    """The numbers seen so far at each kind of level, to accept only headings that continue."""

    def __init__(self) -> None:
        self.roman = 0
        self.upper = 0
        self.decimal: list[int] = []

    def accept(self, text: str) -> tuple[str, int] | None:
        """(key, level) when `text` is the next heading of the outline, else None."""
        if m := _ROMAN.match(text):
            value = roman_value(m.group(1)) if set(m.group(1)) <= set(_ROMAN_VALUES) else 0
            if value == self.roman + 1 and _reads_like_title(m.group(2)):
                self.roman, self.upper, self.decimal = value, 0, []
                return m.group(1), LEVEL_ROMAN
        if m := _UPPER.match(text):
            value = ord(m.group(1)) - ord("A") + 1 if m.group(1) != "Đ" else 0
            if value == self.upper + 1 and _reads_like_title(m.group(2)):
                self.upper, self.decimal = value, []
                return m.group(1), LEVEL_UPPER
        if m := _DECIMAL.match(text):
            parts = [int(p) for p in m.group(1).split(".")]
            if len(parts) == 1 and not m.group(2):
                return None  # "3 viên" is not a heading; "3." is
            if self._continues(parts) and _reads_like_title(m.group(3)):
                self.decimal = parts
                return m.group(1), LEVEL_DECIMAL + len(parts) - 1
        return None

    def _continues(self, parts: list[int]) -> bool:
        depth = len(parts)
        if depth > len(self.decimal) + 1 or parts[:-1] != self.decimal[: depth - 1]:
            return False
        expected = self.decimal[depth - 1] + 1 if len(self.decimal) >= depth else 1
        return parts[-1] == expected


def segment_outline(lines: list[Line]) -> list[OutlineSection]:
    """Sections in order (the first, keyed "", holds the text before the first heading);
    [] when the text has no heading at all."""
    numbering = _Numbering()
    sections = [OutlineSection("", "", 0, page=lines[0].page if lines else None)]
    stack: list[OutlineSection] = []
    marked = 0
    for line in lines:
        raw = line.text.strip()
        mark = _MARKED.match(raw)
        text = clean_line(raw)
        found = numbering.accept(text)
        if found is None and mark and text:
            marked += 1
            found = (f"h{marked}", len(mark.group(1)))
        if found is None:
            if text:
                sections[-1].lines.append(Line(text, line.page))
            continue
        number, level = found
        stack = [s for s in stack if s.level < level]
        # "1." restarts under each "II.": the key names the enclosing roman/letter headings too.
        outer = [s.number for s in stack if s.number and s.level < LEVEL_DECIMAL]
        key = "-".join(outer + [number])
        section = OutlineSection(
            key, text, level, number=number if not number.startswith("h") else "",
            context=tuple(s.heading for s in stack), page=line.page,
        )
        sections.append(section)
        stack.append(section)
    if len(sections) == 1:
        return []
    return [s for s in sections if s.key or s.lines]
