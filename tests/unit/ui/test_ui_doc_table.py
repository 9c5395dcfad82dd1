"""The admin document table as shown: seven columns that fit the screen (issue 14)."""

from __future__ import annotations

import pytest
from support.keys import ADMIN_KEY

from ui import gradio_admin, gradio_app, gradio_doc_table
from ui.context import AppContext


@pytest.fixture
def ctx(services) -> AppContext:
    context = AppContext.build(services)
    yield context
    context.close()


def _full_row(**cells: object) -> list[object]:
    base = dict.fromkeys(gradio_admin.DOC_HEADERS, "")
    base.update({"Mã": "abc123", "Tệp": "tt-46.pdf", "Tiêu đề": "Thông tư quy định hồ sơ bệnh án",
                 "Số hiệu": "46/2018/TT-BYT", "Đối tượng": "Công khai", "Số đoạn": 12,
                 "Phiên bản": 1, "Lập chỉ mục lúc": "2026-12-05T21:10:50+00:00",
                 "Độ tin cậy OCR": "", "Cảnh báo": "", "Hiệu lực từ": "2019-03-01",
                 "Tình trạng": "Còn hiệu lực (nguồn: văn bản)"})
    base.update(cells)
    return [base[h] for h in gradio_admin.DOC_HEADERS]


def test_doc_table_shows_title_number_audience_validity_chunks_indexed_at():
    assert gradio_doc_table.TABLE_HEADERS[:6] == [
        "Văn bản", "Số hiệu", "Đối tượng", "Hiệu lực", "Số đoạn", "Lập chỉ mục lúc"]
    assert len(gradio_doc_table.COLUMN_WIDTHS) == len(gradio_doc_table.TABLE_HEADERS)
    assert sum(int(w.rstrip("%")) for w in gradio_doc_table.COLUMN_WIDTHS) == 100
    row = gradio_doc_table.table_row(_full_row())
    assert row == ["Thông tư quy định hồ sơ bệnh án\ntt-46.pdf · mã abc123", "46/2018/TT-BYT",
                   "Công khai", "từ 01/03/2019\nCòn hiệu lực (nguồn: văn bản)", 12,
                   "05/12/2026 21:10 UTC", ""]


def test_doc_table_notes_gather_version_ocr_warnings_and_proposals():
    row = gradio_doc_table.table_row(_full_row(
        **{"Phiên bản": 2, "Độ tin cậy OCR": "87%", "Cảnh báo": "trang 3 trống",
           "Đề xuất thay thế": "TT cũ (x1, cùng tên)", "Hiệu lực từ": ""}))
    assert row[3] == "Còn hiệu lực (nguồn: văn bản)"
    assert row[-1] == ("phiên bản 2; OCR 87%; trang 3 trống; có thể thay thế: TT cũ (x1, cùng "
                       "tên)")


def test_doc_table_from_the_admin_list(ctx, tmp_path):
    source = tmp_path / "thongbao.md"
    source.write_text("Thông báo lịch tiêm vắc xin", encoding="utf-8")
    list(gradio_admin.upload(ctx, ADMIN_KEY, [str(source)], "staff", lambda *a, **k: None,
                             folder=tmp_path))
    [row] = gradio_doc_table.document_table(gradio_admin.document_rows(ctx, ADMIN_KEY))
    assert len(row) == len(gradio_doc_table.TABLE_HEADERS)
    assert "thongbao.md · mã " in row[0] and row[2] == "Cán bộ"
    assert gradio_doc_table.document_table(gradio_admin.document_rows(ctx, "sai")) == []


def test_gradio_vietnamese_upload_texts_ship_with_the_app():
    script = gradio_app.VIETNAMESE_JS.read_text(encoding="utf-8")
    for english, vietnamese in (("Drop File Here", "Kéo thả tệp vào đây"),
                                ("Click to Upload", "Bấm để chọn tệp"),
                                ("Click to upload or drop files", "kéo thả tệp")):
        assert english in script and vietnamese in script
    assert "http" not in script  # offline: nothing fetched
