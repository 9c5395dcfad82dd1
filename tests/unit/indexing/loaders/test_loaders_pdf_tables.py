"""Ruled tables in text PDFs are read as rows with their column names (pdfplumber), in place,
and the page's numbered headings still give the sections their breadcrumbs and page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.embedder import FakeEmbedder
from pypdf import PdfReader

from indexing.chunking import chunk_document
from indexing.loaders.pdf import PdfLoader
from indexing.loaders.pdf_tables import may_have_table

ROWS = [
    ["Giờ", "Dịch truyền", "Tốc độ"],
    ["1 - 2", "Ringer lactat", "10 ml/kg/giờ"],
    ["3 - 4", "Ringer lactat", "7 ml/kg/giờ"],
]


@pytest.fixture(scope="module")
def table_pdf(tmp_path_factory, unicode_font) -> Path:
    if not unicode_font:
        pytest.skip("needs the DejaVu font (fonts-dejavu-core) to draw Vietnamese")
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF()
    pdf.add_font("DejaVu", "", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 7, "PHÁC ĐỒ ĐIỀU TRỊ SỐT XUẤT HUYẾT DENGUE\n(Tài liệu minh họa)")
    pdf.add_page()
    pdf.multi_cell(0, 7, "1. Đại cương\nBệnh do vi rút Dengue.\n2. Điều trị\n2.1. Bù dịch\n"
                         "Truyền dịch theo bảng sau:")  # fmt: skip
    with pdf.table(headings_style=FontFace()) as table:
        for values in ROWS:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.multi_cell(0, 7, "2.2. Theo dõi\nĐo mạch, huyết áp mỗi giờ.")
    out = tmp_path_factory.mktemp("tables") / "phac-do.pdf"
    pdf.output(str(out))
    return out


def test_pdf_table_rows_carry_column_names_in_reading_order(table_pdf):
    (document,) = PdfLoader().load(table_pdf)
    lines = document.sections[1].text.splitlines()
    first = "Giờ: 1 - 2 | Dịch truyền: Ringer lactat | Tốc độ: 10 ml/kg/giờ"
    assert lines.index("Truyền dịch theo bảng sau:") < lines.index(first) < lines.index("2.2. Theo dõi")
    assert "Giờ: 3 - 4 | Dịch truyền: Ringer lactat | Tốc độ: 7 ml/kg/giờ" in lines
    assert "Giờ Dịch truyền Tốc độ" not in lines  # the header is not flattened into a line


def test_pdf_guideline_sections_keep_breadcrumbs_and_pages(table_pdf):
    (document,) = PdfLoader().load(table_pdf)
    chunks = chunk_document(document, "h", FakeEmbedder())
    fluids = next(c for c in chunks if c.article_path == "2. Điều trị › 2.1. Bù dịch")
    assert fluids.page == 2 and "Tốc độ: 10 ml/kg/giờ" in fluids.text
    assert document.title == "Phác đồ điều trị sốt xuất huyết dengue"


def test_only_pages_with_drawn_rules_are_parsed_for_tables(table_pdf, make_pdf):
    pages = PdfReader(str(table_pdf)).pages
    assert [may_have_table(p) for p in pages] == [False, True]
    plain = PdfReader(str(make_pdf(["Điều 1. Văn bản không có bảng."]))).pages
    assert not may_have_table(plain[0])
