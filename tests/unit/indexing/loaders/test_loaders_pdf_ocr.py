"""OCR of scanned PDF pages: pages rendered at test time from known Vietnamese text, read by the
real Tesseract (skipped with the reason when it or its Vietnamese model is missing). Ruled tables
on a scanned page (clean, and skewed 1.5° with speckle and blur) come out as rows with their
column names, like the pdfplumber path for text PDFs, and a question about a cell quotes its row."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.core.errors import LoadError
from evals.ocr_render import (
    ScanStyle,
    font_available,
    render_page,
    render_table_page,
    save_scanned_pdf,
)
from evals.ocr_tables import AFTER, BEFORE, TABLE
from indexing.loaders.ocr import OcrPage, TesseractReader, data_to_page, document_confidence
from indexing.loaders.pdf import PdfLoader

_MISSING = TesseractReader().missing()
needs_tesseract = pytest.mark.skipif(
    _MISSING is not None or not font_available(),
    reason=f"OCR tests need tesseract-ocr + tesseract-ocr-vie and DejaVu fonts: {_MISSING}",
)

PAGE_1 = (
    "QUY TRÌNH KỸ THUẬT ĐẶT ỐNG THÔNG DẠ DÀY\n"
    "1. Đại cương\n"
    "Đặt ống thông dạ dày là kỹ thuật đưa ống thông qua mũi xuống dạ dày để nuôi dưỡng."
)
PAGE_2 = (
    "2. Chỉ định\n"
    "Người bệnh hôn mê, rối loạn nuốt, cần rửa dạ dày khi ngộ độc cấp đường tiêu hóa."
)


class SpyReader:
    """Wraps a PageReader and records which pages it was asked to read."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.asked: list[int] = []

    def missing(self):
        return self.inner.missing()

    def read_pages(self, path, pages):
        self.asked += pages
        return self.inner.read_pages(path, pages)


class AbsentReader:
    def missing(self):
        return ("máy chưa cài Tesseract", "Tesseract is not installed")

    def read_pages(self, path, pages):  # pragma: no cover - must never be called
        raise AssertionError("OCR called although it is missing")


@pytest.fixture(scope="module")
def scanned_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scan") / "quy-trinh-scan.pdf"
    return save_scanned_pdf([render_page(PAGE_1), render_page(PAGE_2)], out)


@pytest.fixture(scope="module")
def mixed_pdf(tmp_path_factory, make_pdf, scanned_pdf) -> Path:
    """Page 1 with a text layer, page 2 scanned."""
    writer = PdfWriter()
    writer.add_page(PdfReader(str(make_pdf([PAGE_1], footer=False))).pages[0])
    writer.add_page(PdfReader(str(scanned_pdf)).pages[1])
    out = tmp_path_factory.mktemp("mixed") / "mixed.pdf"
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


@needs_tesseract
def test_ocr_reads_scanned_pdf_with_tone_marks_and_page_numbers(scanned_pdf):
    (document,) = PdfLoader().load(scanned_pdf)
    assert [s.page for s in document.sections] == [1, 2]
    page1, page2 = (s.text for s in document.sections)
    assert "Đặt ống thông dạ dày" in page1
    assert "rối loạn nuốt" in page2 and "ngộ độc cấp" in page2
    assert all(unicodedata.is_normalized("NFC", s.text) for s in document.sections)
    assert document.metadata["ocr_pages"] == [1, 2]
    assert 0.8 < document.metadata["ocr_confidence"] <= 1.0
    assert document.warnings == []


@needs_tesseract
def test_ocr_only_reads_image_pages_of_a_mixed_pdf(mixed_pdf):
    spy = SpyReader(TesseractReader())
    (document,) = PdfLoader(ocr=spy).load(mixed_pdf)
    assert spy.asked == [2]
    assert [s.page for s in document.sections] == [1, 2]
    assert "Chỉ định" in document.sections[1].text
    assert document.metadata["ocr_pages"] == [2]


@needs_tesseract
def test_ocr_reports_a_page_it_cannot_read(tmp_path):
    blank = render_page("")
    path = save_scanned_pdf([render_page(PAGE_1), blank], tmp_path / "blank-page.pdf")
    (document,) = PdfLoader().load(path)
    assert [s.page for s in document.sections] == [1]
    (warning,) = document.warnings
    assert warning.startswith("trang 2: OCR không đọc được") and "page 2" in warning


def test_scanned_pdf_without_tesseract_is_a_clear_error_naming_the_file(tmp_path):
    path = save_scanned_pdf([render_page("Trang quét")], tmp_path / "cong-van-scan.pdf")
    with pytest.raises(LoadError, match="tesseract|Tesseract") as info:
        list(PdfLoader(ocr=AbsentReader()).load(path))
    assert info.value.path == str(path)
    assert "cần OCR" in info.value.reason


def test_mixed_pdf_without_tesseract_keeps_text_pages_and_reports_the_scanned_ones(make_pdf, tmp_path):
    writer = PdfWriter()
    writer.add_page(PdfReader(str(make_pdf([PAGE_1], footer=False))).pages[0])
    scan = save_scanned_pdf([render_page("Trang quét")], tmp_path / "s.pdf")
    writer.add_page(PdfReader(str(scan)).pages[0])
    path = tmp_path / "mixed.pdf"
    with open(path, "wb") as fh:
        writer.write(fh)
    (document,) = PdfLoader(ocr=AbsentReader()).load(path)
    assert [s.page for s in document.sections] == [1]
    (warning,) = document.warnings
    assert "trang 2" in warning and "Tesseract" in warning


def test_ocr_word_table_becomes_lines_and_weighted_confidence():
    data = {
        "text": ["", "Điều", "trị", "sốt", ""],
        "conf": [-1, 90, 80, 50, -1],
        "block_num": [1, 1, 1, 1, 1],
        "par_num": [1, 1, 1, 1, 1],
        "line_num": [1, 1, 1, 2, 2],
    }
    page = data_to_page(data)
    assert page.text == "Điều trị\nsốt"
    assert page.confidence == pytest.approx((90 * 4 + 80 * 3 + 50 * 3) / 10 / 100)


def test_document_confidence_weights_pages_by_letters():
    pages = {1: OcrPage("a" * 30, 0.9), 2: OcrPage("b" * 10, 0.5)}
    assert document_confidence(pages) == pytest.approx((0.9 * 30 + 0.5 * 10) / 40)
    assert document_confidence({}) is None


@needs_tesseract
def test_scanned_pdf_is_searchable_and_cited_with_its_page(scanned_pdf, tmp_path):
    from support.indexed_files import index_files

    indexed = index_files([scanned_pdf], tmp_path)
    assert indexed.summary.added == 1 and not indexed.summary.failed
    (record,) = indexed.indexer.list_documents()
    assert record.ocr_confidence is not None and record.ocr_confidence > 0.8
    hits = indexed.service.search("rối loạn nuốt ngộ độc cấp đường tiêu hóa")
    assert hits and hits[0].chunk.page == 2 and "rối loạn nuốt" in hits[0].chunk.text
    answer = indexed.service.ask("Khi nào đặt ống thông dạ dày cho người bệnh rối loạn nuốt?")
    assert not answer.refused
    assert any(c.page == 2 and "rối loạn nuốt" in c.quote for c in answer.citations)


@needs_tesseract
def test_unreadable_ocr_page_is_reported_in_the_indexing_result(tmp_path):
    from support.indexed_files import index_files

    path = save_scanned_pdf([render_page(PAGE_1), render_page("")], tmp_path / "scan.pdf")
    summary = index_files([path], tmp_path).summary
    assert summary.added == 1
    assert [w.path for w in summary.warnings] == [str(path)]
    assert "trang 2: OCR không đọc được" in summary.warnings[0].reason


@needs_tesseract
def test_scanned_page_with_a_small_text_stamp_is_still_read_by_ocr(tmp_path):
    """Scanners and signing tools add a line of real text ("Ký số bởi …") over the image: that
    page must not pass for a text page and lose its scanned body."""
    from fpdf import FPDF

    image = tmp_path / "page.png"
    render_page(PAGE_2).save(image)
    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=8)
    pdf.add_page()
    pdf.image(str(image), x=0, y=0, w=210, h=297)
    pdf.set_xy(10, 285)
    pdf.cell(0, 5, "Ký số bởi: Sở Y tế")
    out = tmp_path / "stamped.pdf"
    pdf.output(str(out))
    (document,) = PdfLoader().load(out)
    assert document.metadata["ocr_pages"] == [1]
    assert "rối loạn nuốt" in document.sections[0].text


# Ruled tables on scanned pages

PARACETAMOL = (
    "Thuốc: Paracetamol | Liều trẻ em: 10 - 15 mg/kg/lần, cách 6 giờ | "
    "Liều người lớn: 500 mg/lần, tối đa 4 g/ngày"
)
SKEWED = ScanStyle(skew_degrees=1.5, noise=0.01, blur=1.0)


def _first_with(lines: list[str], part: str) -> int:
    return next(i for i, line in enumerate(lines) if part in line)


@pytest.fixture(scope="module")
def clean_scan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scan-table") / "phu-luc-lieu-thuoc.pdf"
    return save_scanned_pdf([render_table_page(BEFORE, TABLE, AFTER)], out)


@needs_tesseract
def test_scanned_table_rows_carry_column_names_in_reading_order(tmp_path):
    pages = [
        render_table_page(BEFORE, TABLE, AFTER),
        render_table_page(BEFORE, TABLE, AFTER, SKEWED),
    ]
    (document,) = PdfLoader().load(save_scanned_pdf(pages, tmp_path / "scan.pdf"))
    assert [s.page for s in document.sections] == [1, 2]
    for section in document.sections:  # the clean page and the skewed, speckled one
        lines = section.text.splitlines()
        assert _first_with(lines, "Liều tham khảo") < lines.index(PARACETAMOL) < _first_with(lines, "aspirin")
        assert lines.index("Thuốc hạ sốt") < lines.index(PARACETAMOL) < lines.index("Bù dịch")
        assert any(line.startswith("Thuốc: Ringer lactat | Liều trẻ em: 10 - 20") for line in lines)
        assert not any(line.startswith("Thuốc Liều trẻ em") for line in lines)  # no flat header
        assert unicodedata.is_normalized("NFC", section.text)
    assert document.metadata["ocr_pages"] == [1, 2]
    assert 0.8 < document.metadata["ocr_confidence"] <= 1.0
    assert document.warnings == []


@needs_tesseract
def test_question_about_a_scanned_table_cell_finds_and_quotes_its_row(clean_scan, tmp_path):
    from support.indexed_files import index_files

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
