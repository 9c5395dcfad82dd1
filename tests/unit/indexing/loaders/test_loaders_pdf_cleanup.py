"""PDF artefacts and document-header detection."""

from __future__ import annotations

import pytest

from indexing.loaders.header import detect_header, infer_from_number
from indexing.loaders.pdf_cleanup import clean_pdf_pages, join_hyphenated


def _page(number: int, footer: str) -> str:
    lines = (f"Khoản {k}. Nội dung riêng của trang {number}, dòng {k}." for k in range(1, 7))
    body = "\n".join(lines)
    return f"CÔNG BÁO - Thông tư 46/2018/TT-BYT\nĐiều {number}. Tên điều {number}\n{body}\n{footer}"


@pytest.mark.parametrize("footer", ["- {n} -", "Trang {n}", "{n}", "Page {n} of 4", "{n}/4"])
def test_clean_pdf_pages_drops_page_numbers_and_running_header(footer):
    pages = [_page(n, footer.format(n=n)) for n in range(1, 5)]
    cleaned = clean_pdf_pages(pages)
    for number, text in enumerate(cleaned, start=1):
        assert text.startswith(f"Điều {number}. Tên điều {number}")
        assert text.endswith(f"dòng 6.")
        assert "CÔNG BÁO" not in text


def test_clean_pdf_pages_keeps_header_lines_when_fewer_than_three_pages():
    pages = [_page(n, "") for n in range(1, 3)]
    assert all(text.startswith("CÔNG BÁO") for text in clean_pdf_pages(pages))


def test_clean_pdf_pages_keeps_structure_lines_repeated_at_page_edges():
    body = ["\n".join(f"nội dung {n}-{k}" for k in range(8)) for n in range(4)]
    pages = ["Điều 1. Giải thích từ ngữ\n" + text for text in body]
    assert all(text.startswith("Điều 1.") for text in clean_pdf_pages(pages))


def test_join_hyphenated_joins_lowercase_continuation_only():
    assert join_hyphenated("bảo hiể-\nm y tế") == "bảo hiểm y tế"
    assert join_hyphenated("COVID-\n19") == "COVID-\n19"
    assert join_hyphenated("Lao động -\nThương binh") == "Lao động -\nThương binh"


def test_detect_header_reads_number_type_subject_and_date():
    text = (
        "BỘ Y TẾ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 46/2018/TT-BYT\nHà Nội, ngày 28 tháng 12 năm 2018\n\nTHÔNG TƯ\n"
        "QUY ĐỊNH HỒ SƠ BỆNH ÁN ĐIỆN TỬ\nCăn cứ Luật khám bệnh, chữa bệnh;"
    )
    info = detect_header(text)
    assert info.document_number == "46/2018/TT-BYT"
    assert info.document_type == "Thông tư"
    assert info.title == "Thông tư quy định hồ sơ bệnh án điện tử"
    assert info.issue_date == "2018-12-28"
    assert info.issuer == "Bộ Y tế"


def test_detect_header_reads_official_letter_subject():
    info = detect_header(
        "SỞ Y TẾ GIA LAI\nSố: 123/SYT-NVY\nV/v hướng dẫn tiêm chủng mở rộng\nKính gửi: Các đơn vị"
    )
    assert info.document_number == "123/SYT-NVY"
    assert info.title == "hướng dẫn tiêm chủng mở rộng"


def test_detect_header_finds_nothing_in_plain_prose():
    info = detect_header("Người dân cần mang theo căn cước khi đi khám bệnh.")
    assert (info.document_number, info.document_type, info.title) == ("", "", "")
    assert info.legal_source() is None


@pytest.mark.parametrize(
    ("number", "expected"),
    [("105/2016/QH13", ("Luật", "Quốc hội")),
     ("54/2017/NĐ-CP", ("Nghị định", "Chính phủ")),
     ("34/2014/TTLT-BYT-BNNPTNT-BCT",
      ("Thông tư liên tịch", "Bộ Y tế, Bộ Nông nghiệp và Phát triển nông thôn, Bộ Công Thương")),
     ("06/2003/PL-UBTVQH11", ("Pháp lệnh", "Ủy ban Thường vụ Quốc hội")),
     ("6225/QĐ-BQP", ("Quyết định", "Bộ Quốc phòng")),
     ("21-LCT/HDNN8", ("", ""))],
)  # fmt: skip
def test_infer_from_number_reads_type_and_issuer_codes(number, expected):
    assert infer_from_number(number) == expected
