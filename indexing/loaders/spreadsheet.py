"""Excel .xlsx loader (openpyxl): each sheet a section, each row a line with its column names
("Tên thuốc: Amoxicilin | Liều: 500 mg"), so a chunk of rows always carries the header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from assistant.core.domain import Document, Section
from indexing.loaders.base import load_error, make_doc_id, read_bytes, source_key, suffix, translate_errors
from indexing.loaders.freeform import normalise_texts
from indexing.loaders.tables import table_lines

XLSX_SUFFIXES = (".xlsx", ".xlsm")


def _sheets(path: Path) -> list[tuple[str, list[str]]]:
    import openpyxl

    book = openpyxl.load_workbook(str(path), read_only=True, data_only=True)
    try:
        return [
            (sheet.title, table_lines(sheet.iter_rows(values_only=True)))
            for sheet in book.worksheets
            if sheet.sheet_state == "visible"
        ]
    finally:
        book.close()


class XlsxLoader:
    format = "xlsx"

    def can_load(self, path: Path) -> bool:
        return suffix(path) in XLSX_SUFFIXES

    def load(self, path: Path) -> Iterator[Document]:
        read_bytes(path)  # a clear "not found" before openpyxl's own message
        with translate_errors(path, "tệp Excel hỏng hoặc không hợp lệ", "corrupt or invalid .xlsx"):
            sheets = [(name, lines) for name, lines in _sheets(path) if lines]
        if not sheets:
            raise load_error(path, "tệp Excel không có dữ liệu", "spreadsheet has no data")
        texts = normalise_texts(["\n".join(lines) for _, lines in sheets], path)
        names = normalise_texts([name for name, _ in sheets], path)
        doc_id = make_doc_id(path)
        title = Path(path).stem.replace("_", " ")
        sections = [
            Section(text=text, unit_id=f"{doc_id}#sheet{i}", heading=name,
                    metadata={"sheet": name, "table": True, "label": f"Trang tính {name}"})
            for i, (name, text) in enumerate(zip(names, texts), start=1)
        ]  # fmt: skip
        yield Document(
            doc_id=doc_id, source=source_key(path), format=self.format, title=title,
            sections=sections, metadata={"sheets": len(sections)},
        )  # fmt: skip
