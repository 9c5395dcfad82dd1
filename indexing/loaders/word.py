"""DOCX loader (python-docx): paragraphs and tables in reading order, one section. Word's
automatic numbering is written out ("2.1.", "a)", "-"), heading styles are marked "## " for the
chunker, and table rows are written with their column names ("Thuốc: … | Liều: …")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.core.domain import Document, Section
from indexing.loaders.base import load_error, read_bytes, suffix, translate_errors
from indexing.loaders.docx_numbering import ListNumbering, heading_level
from indexing.loaders.freeform import freeform_document, normalise_texts
from indexing.loaders.tables import table_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _table_lines(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            # A merged cell is the same w:tc in every grid column it spans: keep it once.
            cells.append("" if id(cell._tc) in seen else cell.text)
            seen.add(id(cell._tc))
        rows.append(cells)
    return table_lines(rows)


def _paragraph_line(paragraph: Paragraph, numbering: ListNumbering) -> str:
    text = paragraph.text
    if not text.strip():
        return ""
    label = numbering.label(paragraph)
    if label:
        text = f"{label} {text.lstrip()}"
    level = heading_level(paragraph)
    return f"{'#' * level} {text}" if level else text


def _block_lines(parent: DocxDocument, element: object, numbering: ListNumbering) -> Iterator[str]:
    for child in element.iterchildren():  # type: ignore[attr-defined]
        if child.tag == f"{_W}p":
            yield _paragraph_line(Paragraph(child, parent), numbering)  # type: ignore[arg-type]
        elif child.tag == f"{_W}tbl":
            yield from _table_lines(Table(child, parent))  # type: ignore[arg-type]
        elif child.tag == f"{_W}sdt":  # content controls wrap ordinary paragraphs
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_lines(parent, content, numbering)


def docx_text(doc: DocxDocument) -> str:
    """The body's paragraphs (numbered as Word shows them, headings marked "## ") and table
    rows, in order."""
    return "\n".join(_block_lines(doc, doc.element.body, ListNumbering(doc)))


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
