"""Recognising Phần/Chương/Mục/Điều headings and the Khoản/Điểm tree."""

from __future__ import annotations

import pytest

from indexing.chunking.blocks import parse_blocks
from indexing.chunking.structure import (
    Line,
    clean_line,
    match_article,
    match_heading,
    segment_document,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Phần thứ nhất", ("part", "Phần thứ nhất", "")),
        ("PHẦN THỨ HAI", ("part", "Phần THỨ HAI", "")),
        ("PHẦN I. QUY ĐỊNH CHUNG", ("part", "Phần I", "QUY ĐỊNH CHUNG")),
        ("Chương II", ("chapter", "Chương II", "")),
        ("CHƯƠNG III - CẤP GIẤY PHÉP", ("chapter", "Chương III", "CẤP GIẤY PHÉP")),
        ("Mục 1. Giấy phép hành nghề", ("section", "Mục 1", "Giấy phép hành nghề")),
        ("MỤC 2", ("section", "Mục 2", "")),
    ],
)
def test_match_heading_recognises_levels(line: str, expected: tuple[str, str, str]) -> None:
    assert match_heading(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Chương trình đào tạo liên tục",
        "Mục tiêu của Luật này",
        "Phần lớn người bệnh",
        "Mục 1 " + "nội dung rất dài " * 20,  # a long body line is not a heading
    ],
)
def test_match_heading_ignores_body_text(line: str) -> None:
    assert match_heading(line) is None


def test_match_article_needs_punctuation_after_number() -> None:
    assert match_article("Điều 13. Hồ sơ đề nghị") == ("13", "Hồ sơ đề nghị")
    assert match_article("ĐIỀU 2: Hiệu lực") == ("2", "Hiệu lực")
    assert match_article("Điều 7") == ("7", "")
    assert match_article("Điều 5 của Luật này được sửa đổi như sau") is None
    assert match_article("“Điều 5. Trích dẫn") is None


def test_clean_line_strips_markdown_decoration() -> None:
    assert clean_line("## Chương I. QUY ĐỊNH CHUNG") == "Chương I. QUY ĐỊNH CHUNG"
    assert clean_line("**Điều 3. Giải thích từ ngữ**") == "Điều 3. Giải thích từ ngữ"
    assert clean_line("> **Lưu ý:** nội dung") == "Lưu ý: nội dung"
    assert clean_line("> TÀI LIỆU MẪU") == "TÀI LIỆU MẪU"


def test_segment_document_consumes_headings_into_context() -> None:
    lines = [
        Line("BỘ Y TẾ", 1),
        Line("Căn cứ Luật Khám bệnh, chữa bệnh;", 1),
        Line("Chương I", 1),
        Line("QUY ĐỊNH CHUNG", 1),
        Line("Điều 1. Phạm vi điều chỉnh", 1),
        Line("Thông tư này quy định…", 2),
        Line("Chương II", 2),
        Line("Mục 1. Cấp mới", 2),
        Line("Điều 2. Hồ sơ", 3),
        Line("1. Đơn đề nghị.", 3),
    ]
    units = segment_document(lines)
    assert [u.kind for u in units] == ["preamble", "article", "article"]
    assert [ln.text for ln in units[0].lines] == ["BỘ Y TẾ", "Căn cứ Luật Khám bệnh, chữa bệnh;"]
    first, second = units[1], units[2]
    assert first.context == ("Chương I",)
    assert first.context_titles == ("Chương I. QUY ĐỊNH CHUNG",)
    assert [ln.text for ln in first.lines] == ["Thông tư này quy định…"]
    assert second.context == ("Chương II", "Mục 1")
    assert (second.number, second.page, second.heading) == ("2", 3, "Điều 2. Hồ sơ")


def test_segment_document_new_chapter_resets_section() -> None:
    texts = ("Chương I", "Mục 1", "Điều 1. A", "x", "Chương II", "Điều 2. B", "y")
    units = segment_document([Line(t) for t in texts])
    assert [u.context for u in units] == [("Chương I", "Mục 1"), ("Chương II",)]


def test_segment_document_returns_nothing_without_articles() -> None:
    assert segment_document([Line("Chương I"), Line("Một đoạn văn bản thường.")]) == []


def test_segment_document_starts_an_appendix_unit() -> None:
    texts = ("Điều 1. Hiệu lực", "Có hiệu lực.", "PHỤ LỤC I - MẪU", "MẪU ĐƠN", "1. Họ tên")
    units = segment_document([Line(t) for t in texts])
    assert [(u.kind, u.number) for u in units] == [("article", "1"), ("appendix", "I")]
    assert [ln.text for ln in units[1].lines] == ["MẪU ĐƠN", "1. Họ tên"]


def test_parse_blocks_builds_clause_point_tree() -> None:
    texts = [
        "Hồ sơ gồm:",
        "1. Đơn đề nghị;",
        "2. Giấy tờ sau:",
        "a) Văn bằng;",
        "b) Giấy khám sức khỏe;",
        "c) Ảnh;",
        "d) Lý lịch;",
        "đ) Bản sao giấy phép;",
        "e) Giấy tờ khác.",
        "3. Lệ phí.",
    ]
    root = parse_blocks([Line(t) for t in texts])
    assert [ln.text for ln in root.lines] == ["Hồ sơ gồm:"]
    assert [c.label for c in root.children] == ["Khoản 1", "Khoản 2", "Khoản 3"]
    points = root.children[1].children
    assert [p.label for p in points] == ["Điểm a", "Điểm b", "Điểm c", "Điểm d", "Điểm đ", "Điểm e"]
    assert [ln.text for ln in root.all_lines()] == texts


def test_parse_blocks_ignores_out_of_sequence_numbers() -> None:
    texts = ["1. Mẫu đơn như sau:", "1. Họ và tên:", "5. Ghi chú", "2. Hiệu lực.", "c) lạc"]
    root = parse_blocks([Line(t) for t in texts])
    assert [c.label for c in root.children] == ["Khoản 1", "Khoản 2"]
    assert [ln.text for ln in root.children[0].lines] == texts[:3]
    assert [ln.text for ln in root.children[1].lines] == texts[3:]  # "c)" without a) b) is text
