"""DOCX loader (python-docx): paragraphs and tables in reading order, one section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.domain import Document, Section
from indexing.loaders.base import load_error, read_bytes, suffix, translate_errors
from indexing.loaders.freeform import freeform_document, normalise_texts

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _table_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if cells:
            yield " | ".join(cells)


def _block_lines(parent: DocxDocument, element: object) -> Iterator[str]:
    for child in element.iterchildren():  # type: ignore[attr-defined]
        if child.tag == f"{_W}p":
            yield Paragraph(child, parent).text  # type: ignore[arg-type]
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(Table(child, parent))  # type: ignore[arg-type]
        elif child.tag == f"{_W}sdt":  # content controls wrap ordinary paragraphs
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_lines(parent, content)


def docx_text(doc: DocxDocument) -> str:
    """The body's paragraphs and table rows ("a | b | c"), in order."""
    return "\n".join(_block_lines(doc, doc.element.body))


class DocxLoader:
    format = "docx"

    def can_load(self, path: Path) -> bool:
        return suffix(path) == ".docx"

    def load(self, path: Path) -> Iterator[Document]:
        read_bytes(path)  # a clear "not found" before python-docx's own message
        with translate_errors(path, "DOCX hỏng hoặc không hợp lệ", "corrupt or invalid DOCX"):
            doc = docx.Document(str(path))
            raw = docx_text(doc)
            title_hint = doc.core_properties.title or ""
        (text,) = normalise_texts([raw], path)
        if not text:
            raise load_error(path, "DOCX không có nội dung văn bản", "DOCX has no text")
        yield freeform_document(path, self.format, [Section(text=text)], title_hint=title_hint)
