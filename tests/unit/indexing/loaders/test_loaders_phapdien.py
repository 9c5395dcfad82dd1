"""Pháp điển loader on a fixture in NFD with old tone marks and the archive's broken markup
(nested <p> in p.pNoiDung, an unclosed <div>, a comment, a reused article id)."""

from __future__ import annotations

import re
import unicodedata

import pytest

from indexing.loaders.phapdien import PhapDienLoader, is_phapdien
from indexing.loaders.phapdien_notes import NoteBook, parse_note


@pytest.fixture(scope="module")
def document(loader_fixtures):
    (doc,) = PhapDienLoader().load(loader_fixtures / "phapdien_sample.html")
    return doc


def _by_id(document, unit_id):
    return next(s for s in document.sections if s.unit_id == unit_id)


def test_phapdien_loader_yields_one_section_per_pdieu(document, loader_fixtures):
    raw = (loader_fixtures / "phapdien_sample.html").read_text(encoding="utf-8-sig")
    assert len(document.sections) == len(re.findall(r"class='pDieu'", raw))
    assert [s.unit_id for s in document.sections] == [
        "45.99.LQ.1", "45.99.LQ.2", "45.99.TT.1.1", "45.99.TT.1.2", "45.99.TT.1.2~2",
    ]  # fmt: skip


def test_phapdien_loader_document_title_and_de_muc(document):
    assert document.title == "Đề mục 45.99 Thử nghiệm bộ nạp"
    assert document.format == "phapdien"
    assert document.metadata["de_muc"] == "45.99"
    assert _by_id(document, "45.99.LQ.1").metadata["de_muc_title"] == "Thử nghiệm bộ nạp"


def test_phapdien_loader_normalises_nfd_and_old_tone_marks(document):
    first = _by_id(document, "45.99.LQ.1")
    assert first.text.splitlines() == [
        "Luật này quy định về hòa giải và bảo vệ sức khỏe.",
        "1. Ủy ban nhân dân các cấp thực hiện.",
    ]
    assert "thủy sản" in _by_id(document, "45.99.TT.1.1").text
    assert "quý cơ quan" in _by_id(document, "45.99.TT.1.2").text
    for section in document.sections:
        for text in (section.text, section.heading, *section.path):
            assert unicodedata.is_normalized("NFC", text)


def test_phapdien_loader_heading_and_chapter_path(document):
    second = _by_id(document, "45.99.LQ.2")
    assert second.heading == "Điều 45.99.LQ.2. Điều kiện hành nghề"
    assert _by_id(document, "45.99.LQ.1").path == ("Chương I", "NHỮNG QUY ĐỊNH CHUNG")
    assert second.path == ("Chương II", "HÀNH NGHỀ THỬ NGHIỆM", "Mục 1", "ĐIỀU KIỆN")


def test_phapdien_loader_keeps_body_moved_out_by_parser_and_tables(document):
    second = _by_id(document, "45.99.LQ.2")
    assert second.text.splitlines() == [
        "Người hành nghề phải có chứng chỉ.", "Hạng | Lệ phí", "A | 100.000 đồng",
    ]  # fmt: skip
    assert _by_id(document, "45.99.TT.1.2").text.endswith("a) Cơ sở là nơi thực hiện.")


def test_phapdien_loader_parses_source_notes(document):
    first, second = _by_id(document, "45.99.LQ.1"), _by_id(document, "45.99.LQ.2")
    assert first.source.document_number == "99/2030/QH15"
    assert first.source.document_type == "Luật"
    assert first.source.title == "Luật Thử nghiệm"
    assert (first.source.issuer, first.source.issue_date) == ("Quốc hội", "2030-04-06")
    assert first.source.effective_date == "2031-01-01"
    # the short note of article 2 borrows title/issuer/date from article 1's full note
    assert (second.source.title, second.source.issuer, second.source.original_article) == (
        "Luật Thử nghiệm", "Quốc hội", "Điều 2",
    )  # fmt: skip
    assert "sửa đổi" in second.metadata["status_note"]
    assert second.metadata["source_url"].startswith("http://vbpl.vn/")
    circular = _by_id(document, "45.99.TT.1.1").source
    assert (circular.title, circular.issuer) == ("Thông tư quy định chi tiết thử nghiệm", "Bộ Y tế")


def test_phapdien_loader_collects_cross_references(document):
    assert _by_id(document, "45.99.LQ.1").metadata["cross_refs"] == ["24.10.LQ.42", "45.4.LQ.7a"]
    assert _by_id(document, "45.99.LQ.2").metadata["cross_refs"] == []


def test_phapdien_loader_renames_reused_id_and_warns(document):
    renamed = _by_id(document, "45.99.TT.1.2~2")
    assert renamed.metadata["phapdien_id"] == "45.99.TT.1.2"
    assert renamed.source.document_number == "08/2030/TT-BYT"
    assert any("45.99.TT.1.2" in w and "duplicate" in w for w in document.warnings)
    assert any("no body text" in w for w in document.warnings)


def test_phapdien_loader_empty_stub_yields_no_sections_and_a_warning(loader_fixtures):
    path = loader_fixtures / "phapdien_stub.html"
    assert PhapDienLoader().can_load(path)
    (document,) = PhapDienLoader().load(path)
    assert document.sections == []
    assert document.title == "Đề mục 45.98 Đề mục trống"
    assert len(document.warnings) == 1 and "empty" in document.warnings[0]


def test_is_phapdien_rejects_ordinary_html(loader_fixtures):
    assert not is_phapdien((loader_fixtures / "page.html").read_bytes())
    assert not PhapDienLoader().can_load(loader_fixtures / "page.html")


def test_parse_note_handles_article_forms_and_repeal_status():
    bare = parse_note(
        "((27 Nghị định số 70/2015/NĐ-CP, có hiệu lực thi hành kể từ ngày 15/10/2015))"
    )
    assert bare is not None
    assert bare.source.original_article == "Điều 27"
    assert bare.source.document_number == "70/2015/NĐ-CP"
    assert bare.source.effective_date == "2015-10-15"
    section = parse_note(
        "(Mục IV Thông tư số 124/2007/TT-BTC., có hiệu lực thi hành kể từ ngày 24/11/2007, "
        "có nội dung bị bãi bỏ bởi Điều 5 Thông tư số 1/2010/TT-BTC "
        "có hiệu lực thi hành kể từ ngày 1/2/2010)"
    )
    assert section.source.original_article == "Mục IV"
    assert section.source.document_number == "124/2007/TT-BTC"
    assert section.status.startswith("có nội dung bị bãi bỏ")
    assert parse_note("(Điều này có nội dung liên quan)") is None


def test_note_book_falls_back_to_number_codes_without_full_note():
    note = parse_note(
        "(Điều 3 Thông tư liên tịch số 10/2005/TTLT-BYT-BTC, "
        "có hiệu lực thi hành kể từ ngày 11/05/2005)"
    )
    source = NoteBook().complete(note)
    assert source.issuer == "Bộ Y tế, Bộ Tài chính"
    assert source.title == "Thông tư liên tịch 10/2005/TTLT-BYT-BTC"
    assert source.issue_date == ""
