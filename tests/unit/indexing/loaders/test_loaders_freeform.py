"""DOCX, generic HTML and plain-text/Markdown loaders."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from assistant.core.errors import LoadError
from indexing.loaders.plaintext import TextLoader
from indexing.loaders.webpage import HtmlLoader
from indexing.loaders.word import DocxLoader

EXPECTED_LEGACY = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "Sở Y tế tỉnh Gia Lai hướng dẫn thủ tục hành chính.\n"
    "Điều 1. Phạm vi điều chỉnh\nQuy định này hướng dẫn việc cấp giấy phép hành nghề."
)


@pytest.fixture
def circular_docx(tmp_path: Path) -> Path:
    doc = docx.Document()
    doc.core_properties.title = "Tiêu đề trong thuộc tính"
    for line in ("SỞ Y TẾ", "Số: 15/2024/QĐ-SYT", "QUYẾT ĐỊNH", "VỀ VIỆC BAN HÀNH QUY CHẾ LÀM VIỆC",
                 "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc."):  # fmt: skip
        doc.add_paragraph(line)
    table = doc.add_table(rows=2, cols=3)
    rows = [("STT", "Đơn vị", "Đơn vị"), ("1", "Phòng Nghiệp vụ Y", "x")]  # a merged header cell
    for row, cells in zip(table.rows, rows):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    doc.add_paragraph("Điều 2. Quyết định có hiệu lực kể từ ngày ký, sức khoẻ.")
    out = tmp_path / "quyet-dinh.docx"
    doc.save(str(out))
    return out


def test_docx_loader_keeps_paragraphs_and_table_rows_in_order(circular_docx):
    (document,) = DocxLoader().load(circular_docx)
    (section,) = document.sections
    lines = section.text.splitlines()
    row = "STT: 1 | Đơn vị: Phòng Nghiệp vụ Y | Đơn vị: x"  # each row carries the header
    assert lines.index("Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.") < lines.index(row)
    assert lines.index(row) < lines.index("Điều 2. Quyết định có hiệu lực kể từ ngày ký, sức khỏe.")
    assert not any(line.startswith("STT |") for line in lines)
    assert section.unit_id == "" and section.page is None


def test_docx_loader_detects_decision_header(circular_docx):
    (document,) = DocxLoader().load(circular_docx)
    assert document.document_number == "15/2024/QĐ-SYT"
    assert document.document_type == "Quyết định"
    assert document.title == "Quyết định về việc ban hành quy chế làm việc"
    assert document.format == "docx"


def test_docx_loader_reports_corrupt_file(tmp_path):
    broken = tmp_path / "hong.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(LoadError, match="DOCX") as info:
        list(DocxLoader().load(broken))
    assert info.value.path == str(broken)


def test_html_loader_reads_visible_text_title_and_tables(loader_fixtures):
    (document,) = HtmlLoader().load(loader_fixtures / "page.html")
    text = document.sections[0].text
    assert document.title == "Hướng dẫn khám sức khỏe định kỳ"
    assert "Người lao động được khám sức khỏe định kỳ mỗi năm một lần." in text
    assert "Lao động thường | 1 lần/năm" in text
    for hidden in ("không được lấy", "color: red", "Bật JavaScript", "bình luận ẩn", "Trang chủ"):
        assert hidden not in text


def test_html_loader_honours_declared_legacy_charset(tmp_path):
    page = tmp_path / "cu.html"
    html = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    # "Sở Y tế" in Windows-1258: ơ (F5) + hook (D2), ê (EA) + acute (EC)
    page.write_bytes(html.encode() + b"<body><p>S\xf5\xd2 Y t\xea\xec</p></body></html>")
    (document,) = HtmlLoader().load(page)
    assert document.sections[0].text == "Sở Y tế"


@pytest.mark.parametrize("name", ["legacy_tcvn3.txt", "legacy_vni.txt"])
def test_text_loader_converts_legacy_encodings(loader_fixtures, name):
    (document,) = TextLoader().load(loader_fixtures / name)
    assert document.sections[0].text == EXPECTED_LEGACY


def test_text_loader_refuses_unconvertible_legacy_bytes(tmp_path):
    path = tmp_path / "la.txt"
    path.write_bytes(("Größe Übung Äpfel Öl süß schön fünf Maß Straße Füße " * 4).encode("latin-1"))
    with pytest.raises(LoadError, match="bảng mã"):
        list(TextLoader().load(path))


def test_text_loader_reads_markdown_title_and_strips_heading_marks(tmp_path):
    path = tmp_path / "huong-dan.md"
    text = "# Hướng dẫn tiêm chủng\n\n## Điều 1. Đối tượng\nTrẻ em dưới 5 tuổi."
    path.write_text(text, encoding="utf-8")
    (document,) = TextLoader().load(path)
    assert document.title == "Hướng dẫn tiêm chủng"
    assert document.sections[0].text.splitlines()[2] == "Điều 1. Đối tượng"


def test_text_loader_rejects_empty_file(tmp_path):
    path = tmp_path / "rong.txt"
    path.write_text(" \n\u200b\n", encoding="utf-8")
    with pytest.raises(LoadError, match="empty"):
        list(TextLoader().load(path))
