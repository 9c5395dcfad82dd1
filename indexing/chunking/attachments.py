"""Where a document's attachments start: "PHỤ LỤC …", or a title block such as "HƯỚNG DẪN CHẨN
ĐOÁN VÀ ĐIỀU TRỊ …" followed by "(Ban hành kèm theo Quyết định số …)". Each attachment gets its
own structure tree instead of continuing the decision's last Điều."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexing.chunking.structure import APPENDIX, Line, clean_line

_ISSUED_WITH = re.compile(r"^\(\s*(?i:(?:được\s+)?(?:ban\s+hành\s+)?kèm\s+theo)\b")
MAX_TITLE_LINES = 4
MAX_TITLE_CHARS = 200


@dataclass
class Part:
    """The main text (title "") or one attachment (its title lines and the rest)."""

    title: str = ""
    label: str = ""  # "Phụ lục I", "Hướng dẫn chẩn đoán và điều trị …"
    key: str = ""  # unit-id prefix: "phuluc-I", "pl2"; "" for the main text
    lines: list[Line] = field(default_factory=list)


def _is_upper_title(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and len(text) <= MAX_TITLE_CHARS and all(c.isupper() for c in letters)


def sentence_case(text: str) -> str:
    return text[0] + text[1:].lower() if text.isupper() else text


def split_attachments(lines: list[Line]) -> list[Part]:
    """The main part, then one part per attachment, in order; lines are not changed."""
    parts = [Part()]
    i = 0
    while i < len(lines):
        text = clean_line(lines[i].text)
        appendix = APPENDIX.match(text)
        if appendix:
            number = appendix.group(1) or ""
            label = f"Phụ lục {number}".strip()
            key = f"phuluc-{number}" if number else f"phuluc{len(parts)}"
            parts.append(Part(text, label, key, [lines[i]]))
        elif _ISSUED_WITH.match(text) and not _just_opened(parts[-1]):
            start = _title_start(parts[-1].lines)
            title_lines = parts[-1].lines[start:]
            del parts[-1].lines[start:]
            title = " ".join(clean_line(ln.text) for ln in title_lines) or "Văn bản kèm theo"
            label = sentence_case(title)[:120]
            parts.append(Part(title, label, f"pl{len(parts)}", title_lines + [lines[i]]))
        else:
            parts[-1].lines.append(lines[i])
        i += 1
    return [p for p in parts if p.lines or not p.key]


def _just_opened(part: Part) -> bool:
    """An appendix heading a few lines above already opened this attachment."""
    return bool(part.key) and len(part.lines) <= MAX_TITLE_LINES


def _title_start(lines: list[Line]) -> int:
    """Index of the first upper-case title line right before the "(Ban hành kèm theo" line."""
    start = len(lines)
    while start > 0 and len(lines) - start < MAX_TITLE_LINES:
        if not _is_upper_title(clean_line(lines[start - 1].text)):
            break
        start -= 1
    return start
