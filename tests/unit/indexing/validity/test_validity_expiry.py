"""A document's own end date ("… này có hiệu lực đến hết ngày …", "… này hết hiệu lực kể từ
ngày …"), read only when the document itself is the subject."""

from __future__ import annotations

import pytest

from indexing.validity.expiry import expiry_date
from indexing.validity.extract import extract_validity


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quyết định này có hiệu lực đến hết ngày 31/12/2025.", "2026-01-01"),
        ("Thông tư này hết hiệu lực kể từ ngày 01/7/2025.", "2025-07-01"),
        ("Nghị định này hết hiệu lực thi hành từ ngày 15 tháng 3 năm 2026.", "2026-03-15"),
        ("Điều 5. Quyết định này có hiệu lực kể từ ngày ký và được áp dụng đến hết ngày 30 tháng 6 năm 2026.",
         "2026-07-01"),
        ("Chỉ thị này có hiệu lực kể từ ngày 01/01/2025 đến hết ngày 31/12/2025.", "2026-01-01"),
        ("2. Kế hoạch này được thực hiện đến hết ngày 31/12/2026.", "2027-01-01"),
        ("Luật này có hiệu lực đến ngày 30/6/2025.", "2025-07-01"),
        ("Kế hoạch này có hiệu lực trong thời hạn 02 năm kể từ ngày ký.", "2027-03-05"),
        ("Quyết định này có hiệu lực trong 06 tháng kể từ ngày ban hành.", "2025-09-05"),
    ],
)
def test_expiry_date_phrasings(text, expected):
    assert expiry_date(text, issue_date="2025-03-05") == expected


@pytest.mark.parametrize(
    "text",
    [
        # another document's end: a relation (extract.py), not this document's own date
        "Thông tư số 10/2020/TT-BYT hết hiệu lực kể từ ngày 01/7/2025.",
        "Quyết định số 15/2020/QĐ-UBND hết hiệu lực kể từ ngày Quyết định này có hiệu lực.",
        "Quyết định này thay thế Quyết định số 12/2020/QĐ-UBND có hiệu lực đến hết ngày 31/12/2024.",
        # something else is the subject
        "Các hợp đồng ký theo Thông tư này được áp dụng đến hết ngày 31/12/2025.",
        "Giấy phép đã cấp có hiệu lực đến hết ngày 31/12/2025.",
        # only a start date, or a term without a known start
        "Quyết định này có hiệu lực kể từ ngày 01/01/2025.",
        "Văn bản không nói gì về hiệu lực.",
    ],
)
def test_expiry_date_look_alikes_do_not_match(text):
    assert expiry_date(text) == ""


def test_a_term_without_a_known_signing_date_gives_no_end():
    assert expiry_date("Kế hoạch này có hiệu lực trong thời hạn 02 năm kể từ ngày ký.") == ""


def test_extract_validity_reads_both_dates_and_keeps_the_relation():
    facts = extract_validity(
        "Điều 4. Hiệu lực thi hành\n1. Quyết định này có hiệu lực kể từ ngày 01 tháng 02 năm 2025 "
        "và có hiệu lực đến hết ngày 31 tháng 12 năm 2025.\n"
        "2. Quyết định số 07/2023/QĐ-SYT hết hiệu lực kể từ ngày Quyết định này có hiệu lực."
    )
    assert (facts.effective_date, facts.expiry_date) == ("2025-02-01", "2026-01-01")
    assert [(r.kind, r.target) for r in facts.relations] == [("repeals", "07/2023/QĐ-SYT")]
