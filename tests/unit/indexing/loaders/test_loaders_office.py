""".doc (antiword/catdoc) and .xlsx (openpyxl) loaders: fixture files written at test time,
read back, chunked by rows with their column names, and found by search."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from fakes.embedder import FakeEmbedder
from support.word97 import write_doc

from assistant.core.errors import LoadError
from indexing.chunking import chunk_document
from indexing.loaders import detect_format, load_path
from indexing.loaders.tables import table_lines

needs_antiword = pytest.mark.skipif(
    shutil.which("antiword") is None, reason="the .doc loader needs Debian's antiword"
)

# Illustrative text written for these tests, not an official document.
DOC_PARAGRAPHS = [
    "SỞ Y TẾ GIA LAI",
    "QUY TRÌNH KỸ THUẬT RỬA DẠ DÀY CẤP CỨU",
    "1. Đại cương",
    "Rửa dạ dày là thủ thuật đưa nước vào dạ dày rồi hút ra nhằm loại bỏ chất độc chưa hấp thu.",
    "2. Chỉ định",
    "Ngộ độc cấp qua đường tiêu hóa trong 6 giờ đầu sau khi uống.",
    "3. Chống chỉ định",
    "Ngộ độc chất ăn mòn như axit mạnh, kiềm mạnh; người bệnh hôn mê chưa được đặt nội khí quản.",
]
DRUGS = [
    ["STT", "Tên thuốc", "Liều người lớn", "Liều trẻ em"],
    *[[i, f"Thuốc số {i}", f"{i * 100} mg/ngày", f"{i * 5} mg/kg/ngày"] for i in range(1, 60)],
    [60, "Amoxicilin", "500 mg x 3 lần/ngày", "25-50 mg/kg/ngày"],
]


@pytest.fixture(scope="module")
def doc_file(tmp_path_factory) -> Path:
    return write_doc(DOC_PARAGRAPHS, tmp_path_factory.mktemp("doc") / "quy-trinh-rua-da-day.doc")


@pytest.fixture(scope="module")
def xlsx_file(tmp_path_factory) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kháng sinh"
    for row in DRUGS:
        sheet.append(row)
    other = book.create_sheet("Cơ sở tiêm chủng")
    other.append(["Tên cơ sở", "Địa chỉ", "Điện thoại"])
    other.append(["Trạm Y tế xã Ia Kha", "Huyện Ia Grai", None])
    hidden = book.create_sheet("Nháp")
    hidden.append(["không", "hiện"])
    hidden.sheet_state = "hidden"
    out = tmp_path_factory.mktemp("xlsx") / "danh-muc-thuoc.xlsx"
    book.save(out)
    return out


@needs_antiword
def test_doc_loader_reads_paragraphs_with_tone_marks(doc_file):
    assert detect_format(doc_file) == "doc"
    (document,) = load_path(doc_file)
    text = document.sections[0].text
    assert "QUY TRÌNH KỸ THUẬT RỬA DẠ DÀY CẤP CỨU" in text
    assert "Ngộ độc cấp qua đường tiêu hóa trong 6 giờ đầu sau khi uống." in text.splitlines()


def test_doc_that_is_not_word97_is_refused_with_advice(tmp_path):
    fake = tmp_path / "cu.doc"
    fake.write_bytes(b"{\\rtf1 not a word file}")
    with pytest.raises(LoadError, match="docx"):
        detect_format(fake)


def test_xlsx_sheets_become_sections_and_rows_carry_their_headers(xlsx_file):
    (document,) = load_path(xlsx_file)
    assert [s.metadata["sheet"] for s in document.sections] == ["Kháng sinh", "Cơ sở tiêm chủng"]
    lines = document.sections[0].text.splitlines()
    assert lines[-1] == (
        "STT: 60 | Tên thuốc: Amoxicilin | Liều người lớn: 500 mg x 3 lần/ngày | "
        "Liều trẻ em: 25-50 mg/kg/ngày"
    )
    assert document.sections[1].text == "Tên cơ sở: Trạm Y tế xã Ia Kha | Địa chỉ: Huyện Ia Grai"


def test_xlsx_chunks_split_by_rows_each_with_the_column_names(xlsx_file):
    (document,) = load_path(xlsx_file)
    chunks = chunk_document(document, "h", FakeEmbedder(max_tokens=200))
    sheet_chunks = [c for c in chunks if c.article_label == "Trang tính Kháng sinh"]
    assert len(sheet_chunks) > 2
    for chunk in sheet_chunks:
        for line in chunk.text.splitlines():
            assert line.startswith("STT: ") and "Liều trẻ em: " in line  # no row split


def test_table_lines_header_caption_spanning_titles_and_empty_header_cells():
    rows = [
        ["BẢNG LIỀU", None, None],
        ["Thuốc", "", "Trẻ em"],
        ["Nhóm kháng sinh", None, None],
        ["Amoxicilin", "uống", "50 mg/kg"],
    ]
    assert table_lines(rows) == [
        "BẢNG LIỀU", "Nhóm kháng sinh", "Thuốc: Amoxicilin | Cột 2: uống | Trẻ em: 50 mg/kg",
    ]  # fmt: skip


def test_doc_and_xlsx_are_found_by_search(doc_file, xlsx_file, tmp_path):
    from support.indexed_files import index_files

    paths = [xlsx_file] + ([doc_file] if shutil.which("antiword") else [])
    indexed = index_files(paths, tmp_path)
    assert indexed.summary.added == len(paths) and not indexed.summary.failed
    hit = indexed.service.search("liều amoxicilin cho trẻ em")[0].chunk
    assert "Amoxicilin | Liều người lớn: 500 mg x 3 lần/ngày" in hit.text
    assert hit.article_path == "Trang tính Kháng sinh"
    if shutil.which("antiword"):
        hit = indexed.service.search("chống chỉ định rửa dạ dày ngộ độc chất ăn mòn")[0].chunk
        assert "axit mạnh, kiềm mạnh" in hit.text
