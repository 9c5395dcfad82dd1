"""Ruled tables on scanned pages: pages rendered at test time from a known Vietnamese dose table
(clean, and skewed 1.5° with speckle and blur), read by the real Tesseract through the PDF
loader; the rows come out with their column names, like the pdfplumber path for text PDFs, and
a question about a cell finds and quotes its row. Skipped when Tesseract or `vie` is missing."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from evals.ocr_render import ScanStyle, font_available, render_table_page, save_scanned_pdf
from evals.ocr_tables import AFTER, BEFORE, TABLE
from indexing.loaders.ocr import TesseractReader
from indexing.loaders.pdf import PdfLoader

_MISSING = TesseractReader().missing()
pytestmark = pytest.mark.skipif(
    _MISSING is not None or not font_available(),
    reason=f"OCR tests need tesseract-ocr + tesseract-ocr-vie and DejaVu fonts: {_MISSING}",
)

PARACETAMOL = (
    "Thuốc: Paracetamol | Liều trẻ em: 10 - 15 mg/kg/lần, cách 6 giờ | "
    "Liều người lớn: 500 mg/lần, tối đa 4 g/ngày"
)
SKEWED = ScanStyle(skew_degrees=1.5, noise=0.01, blur=1.0)


def _first(lines: list[str], part: str) -> int:
    return next(i for i, line in enumerate(lines) if part in line)


@pytest.fixture(scope="module")
def clean_scan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scan-table") / "phu-luc-lieu-thuoc.pdf"
    return save_scanned_pdf([render_table_page(BEFORE, TABLE, AFTER)], out)


def test_scanned_table_rows_carry_column_names_in_reading_order(tmp_path):
    pages = [
        render_table_page(BEFORE, TABLE, AFTER),
        render_table_page(BEFORE, TABLE, AFTER, SKEWED),
    ]
    (document,) = PdfLoader().load(save_scanned_pdf(pages, tmp_path / "scan.pdf"))
    assert [s.page for s in document.sections] == [1, 2]
    for section in document.sections:  # the clean page and the skewed, speckled one
        lines = section.text.splitlines()
        assert _first(lines, "Liều tham khảo") < lines.index(PARACETAMOL) < _first(lines, "aspirin")
        assert lines.index("Thuốc hạ sốt") < lines.index(PARACETAMOL) < lines.index("Bù dịch")
        assert any(line.startswith("Thuốc: Ringer lactat | Liều trẻ em: 10 - 20") for line in lines)
        assert not any(line.startswith("Thuốc Liều trẻ em") for line in lines)  # no flat header
        assert unicodedata.is_normalized("NFC", section.text)
    assert document.metadata["ocr_pages"] == [1, 2]
    assert 0.8 < document.metadata["ocr_confidence"] <= 1.0
    assert document.warnings == []


def test_question_about_a_scanned_table_cell_finds_and_quotes_its_row(clean_scan, tmp_path):
    from indexed_files import index_files

    indexed = index_files([clean_scan], tmp_path, max_tokens=64)  # the table spans chunks
    assert indexed.summary.added == 1 and not indexed.summary.failed
    for question, row in [
        ("Liều paracetamol cho trẻ em là bao nhiêu?", PARACETAMOL),
        ("Truyền Ringer lactat cho trẻ em bao nhiêu ml/kg/giờ?", "Thuốc: Ringer lactat | Liều"),
    ]:
        hits = indexed.service.search(question)
        assert hits and hits[0].chunk.page == 1 and row in hits[0].chunk.text
    answer = indexed.service.ask("Liều paracetamol cho trẻ em là bao nhiêu?")
    assert not answer.refused
    assert any("Paracetamol" in c.quote and "10 - 15 mg/kg" in c.quote for c in answer.citations)
