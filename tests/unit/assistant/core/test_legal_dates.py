"""Dates are read one way (assistant.core.legal_dates): the header, the TTHC export, the Pháp
điển notes and the validity extractor give the same ISO date for the same written date."""

from assistant.core.legal_dates import EFFECTIVE_FROM, iso_date
from indexing.loaders.header import detect_header
from indexing.validity.notes import parse_change_note


def test_legal_dates_iso_date_checks_plausibility() -> None:
    assert iso_date("2", "3", "2018") == "2018-03-02"
    assert iso_date("32", "1", "2018") == "" and iso_date("1", "13", "2018") == ""


def test_legal_dates_header_and_notes_read_the_same_date() -> None:
    assert detect_header("Hà Nội, ngày 1 tháng 7 năm 2013\n").issue_date == "2013-07-01"
    note = "có nội dung được sửa đổi bởi Điều 1 Nghị định số 48/2013/NĐ-CP có hiệu lực thi hành kể từ ngày 01/07/2013"
    assert EFFECTIVE_FROM.search(note).groups() == ("01", "07", "2013")
    assert [r.effective_date for r in parse_change_note(note)] == ["2013-07-01"]
