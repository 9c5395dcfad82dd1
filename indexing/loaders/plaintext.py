"""Plain text and Markdown loader: one section; legacy encodings (TCVN3, VNI, Windows-1258)
converted, or a LoadError rather than garbage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from assistant.core.domain import Document, Section
from indexing.loaders.base import load_error, read_text, suffix
from indexing.loaders.freeform import freeform_document, normalise_texts

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def markdown_title(text: str) -> str:
    """The first "# Heading" of a Markdown text ("" when none)."""
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


class TextLoader:
    format = "text"

    def can_load(self, path: Path) -> bool:
        return suffix(path) in TEXT_SUFFIXES

    def load(self, path: Path) -> Iterator[Document]:
        (text,) = normalise_texts([read_text(path)], path)
        title_hint = ""
        if suffix(path) in (".md", ".markdown"):
            title_hint = markdown_title(text)
            text = _MD_HEADING.sub("", text)  # "## Điều 3" must read as "Điều 3" to the chunker
        if not text:
            raise load_error(path, "tệp văn bản rỗng", "text file is empty")
        yield freeform_document(path, self.format, [Section(text=text)], title_hint=title_hint)
