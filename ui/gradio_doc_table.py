"""The admin tab's document table as shown: seven columns that fit a laptop screen (title with
its file and id, number, audience, validity, chunks, indexed at, notes) instead of the
thirteen of `gradio_admin.document_rows`, which it is made from."""

from __future__ import annotations

from datetime import datetime

from ui.gradio_admin import DOC_HEADERS

TABLE_HEADERS = ["Văn bản", "Số hiệu", "Đối tượng", "Hiệu lực", "Số đoạn", "Lập chỉ mục lúc",
                 "Ghi chú"]
COLUMN_WIDTHS = ["36%", "14%", "9%", "17%", "6%", "10%", "8%"]


def _date(iso: str) -> str:
    """'2025-07-01' -> '01/07/2025' ('' stays '')."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) >= 10 else iso


def _moment(iso: str) -> str:
    """'2026-12-05T21:10:50+00:00' -> '05/12/2026 21:10 UTC'."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    zone = " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
    return moment.strftime("%d/%m/%Y %H:%M") + zone


def table_row(row: list[object]) -> list[object]:
    """One row of `document_rows` as the table shows it."""
    cell = {h: ("" if v is None else v) for h, v in zip(DOC_HEADERS, row, strict=True)}
    since = f"từ {_date(str(cell['Hiệu lực từ']))}" if cell["Hiệu lực từ"] else ""
    validity = "\n".join(p for p in (since, str(cell["Tình trạng"])) if p)
    notes = [f"phiên bản {cell['Phiên bản']}" if str(cell["Phiên bản"]) not in ("", "1") else "",
             f"OCR {cell['Độ tin cậy OCR']}" if cell["Độ tin cậy OCR"] else "",
             str(cell["Cảnh báo"]),
             f"có thể thay thế: {cell['Đề xuất thay thế']}" if cell["Đề xuất thay thế"] else ""]
    return [f"{cell['Tiêu đề']}\n{cell['Tệp']} · mã {cell['Mã']}", cell["Số hiệu"],
            cell["Đối tượng"], validity, cell["Số đoạn"], _moment(str(cell["Lập chỉ mục lúc"])),
            "; ".join(n for n in notes if n)]


def document_table(rows: list[list[object]]) -> list[list[object]]:
    return [table_row(r) for r in rows]
