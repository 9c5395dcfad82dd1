"""PDF loader: pages, OCR warnings, header detection, encrypted and corrupt files."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from assistant.core.errors import LoadError
from indexing.loaders.pdf import PdfLoader

FIRST_PAGE = (
    "Thông tư 99/2024/TT-BYT - Sở Y tế\n"
    "BỘ Y TẾ\nSố: 99/2024/TT-BYT\nHà Nội, ngày 05 tháng 3 năm 2024\n"
    "THÔNG TƯ\nQUY ĐỊNH VỀ KHÁM SỨC KHOẺ\nCăn cứ Luật Khám bệnh, chữa bệnh;\n"
    "Điều 1. Phạm vi điều chỉnh\nThông tư này quy định việc hoà giải."
)
PAGES = [
    FIRST_PAGE,
    None,  # a scanned page: no text layer
    "Thông tư 99/2024/TT-BYT - Sở Y tế\nĐiều 2. Đối tượng áp dụng\nCơ quan, tổ chức, cá nhân.",
    "Thông tư 99/2024/TT-BYT - Sở Y tế\nĐiều 3. Hiệu lực\nThông tư có hiệu lực từ ngày ký.",
]


@pytest.fixture(scope="module")
def sample_pdf(make_pdf) -> Path:
    return make_pdf(PAGES)


def _load(path: Path):
    (document,) = PdfLoader().load(path)
    return document


def test_pdf_loader_yields_one_section_per_text_page_with_page_numbers(sample_pdf):
    document = _load(sample_pdf)
    assert [s.page for s in document.sections] == [1, 3, 4]
    assert all(not s.unit_id for s in document.sections)
    assert "Điều 2. Đối tượng áp dụng" in document.sections[1].text


def test_pdf_loader_warns_about_page_without_text_layer(sample_pdf):
    document = _load(sample_pdf)
    assert len(document.warnings) == 1
    assert "trang 2" in document.warnings[0] and "OCR" in document.warnings[0]


def test_pdf_loader_removes_running_header_and_page_numbers(sample_pdf):
    document = _load(sample_pdf)
    text = "\n".join(s.text for s in document.sections)
    assert "Thông tư 99/2024/TT-BYT - Sở Y tế" not in text
    assert "Trang 3" not in text


def test_pdf_loader_detects_number_type_title_and_date(sample_pdf, unicode_font):
    document = _load(sample_pdf)
    assert document.document_number == "99/2024/TT-BYT"
    assert document.document_type == "Thông tư"
    assert document.metadata["issue_date"] == "2024-03-05"
    assert document.sections[0].source is not None
    assert document.sections[0].source.document_number == "99/2024/TT-BYT"
    if unicode_font:  # ASCII-folded text has no Vietnamese type line to match
        assert document.title == "Thông tư quy định về khám sức khỏe"
        assert "hòa giải" in document.sections[0].text


def test_pdf_loader_rejects_pdf_without_any_text(make_pdf):
    with pytest.raises(LoadError, match="OCR"):
        _load(make_pdf([None, None]))


def _encrypt(source: Path, out: Path, user_password: str) -> Path:
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=user_password, owner_password="chu-so-huu", algorithm="RC4-128")
    with open(out, "wb") as fh:
        writer.write(fh)
    return out


def test_pdf_loader_rejects_password_protected_pdf(sample_pdf, tmp_path):
    locked = _encrypt(sample_pdf, tmp_path / "locked.pdf", "mat-khau")
    with pytest.raises(LoadError, match="mật khẩu") as info:
        _load(locked)
    assert info.value.path == str(locked)


def test_pdf_loader_reads_pdf_encrypted_with_empty_user_password(sample_pdf, tmp_path):
    opened = _encrypt(sample_pdf, tmp_path / "owner-only.pdf", "")
    assert [s.page for s in _load(opened).sections] == [1, 3, 4]


def test_pdf_loader_reports_corrupt_pdf(loader_fixtures):
    with pytest.raises(LoadError, match="corrupt"):
        _load(loader_fixtures / "corrupt.pdf")


def test_pdf_loader_can_load_by_magic_bytes(sample_pdf, tmp_path):
    renamed = tmp_path / "scan.bin"
    renamed.write_bytes(sample_pdf.read_bytes())
    assert PdfLoader().can_load(renamed)
    assert not PdfLoader().can_load(tmp_path)
