"""Professional documents: numbered outlines, Word automatic numbering, attachments with their
own tree, headings that start their chunk, tables chunked by rows with their column names."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.embedder import FakeEmbedder

from evals.guideline_corpus import write_decision_docx, write_guideline_docx
from indexing.chunking import chunk_document
from indexing.chunking.attachments import split_attachments
from indexing.chunking.outline import segment_outline
from indexing.chunking.structure import Line
from indexing.loaders import load_path


def _lines(text: str) -> list[Line]:
    return [Line(t) for t in text.strip().splitlines()]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("guidelines")
    return {
        "guideline": write_guideline_docx(folder / "huong-dan.docx"),
        "decision": write_decision_docx(folder / "quyet-dinh.docx"),
    }


def test_outline_nests_roman_letter_and_decimal_headings():
    sections = segment_outline(_lines("""
PHÁC ĐỒ ĐIỀU TRỊ
I. ĐẠI CƯƠNG
Bệnh do vi rút.
II. ĐIỀU TRỊ
A. Điều trị tại tuyến huyện
1. Nguyên tắc
Bù dịch sớm.
1.1. Bù dịch đường uống
Oresol.
1.2. Bù dịch đường tĩnh mạch
Ringer lactat.
2. Theo dõi
B. Điều trị tại tuyến tỉnh
1. Chống sốc
"""))
    assert [(s.key, s.heading) for s in sections][:4] == [
        ("", ""), ("I", "I. ĐẠI CƯƠNG"), ("II", "II. ĐIỀU TRỊ"), ("II-A", "A. Điều trị tại tuyến huyện"),
    ]  # fmt: skip
    by_key = {s.key: s for s in sections}
    assert by_key["II-A-1.2"].context == ("II. ĐIỀU TRỊ", "A. Điều trị tại tuyến huyện", "1. Nguyên tắc")
    assert by_key["II-A-1.2"].lines == [Line("Ringer lactat.")]
    assert by_key["II-B-1"].context == ("II. ĐIỀU TRỊ", "B. Điều trị tại tuyến tỉnh")


def test_numbered_list_inside_a_section_stays_body_text():
    sections = segment_outline(_lines("""
1. Chẩn đoán
Người bệnh có các dấu hiệu sau:
1. Sốt cao đột ngột liên tục 2 - 7 ngày;
2. Xuất huyết dưới da, chảy máu chân răng;
2. Điều trị
3. Bù dịch sớm bằng đường uống khi người bệnh còn uống được và chưa có dấu hiệu sốc.
"""))
    assert [s.heading for s in sections] == ["1. Chẩn đoán", "2. Điều trị"]
    assert len(sections[0].lines) == 3 and len(sections[1].lines) == 1


def test_text_without_headings_has_no_outline():
    assert segment_outline(_lines("Thông báo lịch tiêm chủng.\nTừ ngày 1/6 đến 5/6.")) == []


def test_attachment_starts_at_its_title_block_not_inside_the_last_article():
    parts = split_attachments(_lines("""
Điều 3. Các đơn vị chịu trách nhiệm thi hành.
Nguyễn Văn A
HƯỚNG DẪN CHẨN ĐOÁN VÀ ĐIỀU TRỊ
BỆNH SỐT XUẤT HUYẾT DENGUE
(Ban hành kèm theo Quyết định số 123/QĐ-BYT ngày 1/3/2025)
1. Đại cương
PHỤ LỤC I
MẪU PHIẾU THEO DÕI
"""))
    assert [p.label for p in parts] == [
        "", "Hướng dẫn chẩn đoán và điều trị bệnh sốt xuất huyết dengue", "Phụ lục I",
    ]  # fmt: skip
    assert parts[0].lines[-1].text == "Nguyễn Văn A"
    assert parts[1].lines[0].text == "HƯỚNG DẪN CHẨN ĐOÁN VÀ ĐIỀU TRỊ"


def test_docx_automatic_numbering_headings_items_and_bullets_are_written_out(corpus):
    (document,) = load_path(corpus["guideline"])
    lines = document.sections[0].text.splitlines()
    assert "## 2.1. Lâm sàng" in lines and "# 3. Điều trị" in lines
    assert any(line.startswith("a) Loét miệng") for line in lines)
    assert any(line.startswith("c) Sốt nhẹ") for line in lines)
    assert "- Theo dõi sát, phát hiện sớm và điều trị biến chứng." in lines
    assert document.title == "Hướng dẫn chẩn đoán và điều trị bệnh tay chân miệng"


def test_guideline_sections_become_units_with_breadcrumbs(corpus):
    (document,) = load_path(corpus["guideline"])
    chunks = chunk_document(document, "h", FakeEmbedder())
    paths = [c.article_path for c in chunks]
    assert "3. Điều trị › 3.2. Thuốc hạ sốt và liều dùng" in paths
    dose = next(c for c in chunks if c.article_path.endswith("3.2. Thuốc hạ sốt và liều dùng"))
    assert dose.article_label == "Mục 3.2"
    assert "3.2. Thuốc hạ sốt và liều dùng" in dose.embed_text
    assert "Thuốc: Paracetamol | Liều trẻ em: 10 - 15 mg/kg/lần" in dose.text
    assert len({c.unit_id for c in chunks}) == len(chunks)


def test_decision_attachment_has_its_own_tree(corpus):
    (document,) = load_path(corpus["decision"])
    chunks = chunk_document(document, "h", FakeEmbedder())
    article3 = next(c for c in chunks if c.article_label == "Điều 3")
    assert "QUY TRÌNH KỸ THUẬT" not in article3.text and "Đo từ cánh mũi" not in article3.text
    step = next(c for c in chunks if "Đo từ cánh mũi" in c.text)
    assert step.article_path == (
        "Quy trình kỹ thuật đặt ống thông dạ dày › V. CÁC BƯỚC TIẾN HÀNH › 1. Đo chiều dài ống thông"
    )
    assert "Điều" not in step.article_path


def test_a_heading_always_starts_its_chunk(corpus):
    """With a window so small that sections split, no chunk ends with (or contains) a heading
    line of another section, and every piece names its section in its embed text."""
    (document,) = load_path(corpus["guideline"])
    chunks = chunk_document(document, "h", FakeEmbedder(max_tokens=60))
    headings = {c.metadata["heading"] for c in chunks if c.metadata.get("heading")}
    for chunk in chunks:
        assert not set(chunk.text.splitlines()) & headings
        if chunk.metadata.get("heading"):
            assert chunk.metadata["heading"] in chunk.embed_text


def test_table_rows_split_across_chunks_each_keep_the_header(corpus):
    (document,) = load_path(corpus["guideline"])
    chunks = chunk_document(document, "h", FakeEmbedder(max_tokens=60))
    dose = [c for c in chunks if c.article_label == "Mục 3.2"]
    rows = [line for c in dose for line in c.text.splitlines() if line.startswith("Thuốc: ")]
    assert len(dose) >= 2 and len(rows) == 3
    assert all("Liều trẻ em: " in row and "Khoảng cách giữa hai lần: " in row for row in rows)
