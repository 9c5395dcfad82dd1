"""Plain-Vietnamese answers about a dossier's status (already-masked data only)."""

from __future__ import annotations

from datetime import date

from assistant.core.domain import DossierStatus

_IN_TIME = {1, 2, 4}
_STOPPED = {3, 7, 8}
_NOTHING_TO_DO = (
    "Anh/chị chưa cần làm gì thêm; hồ sơ đang được giải quyết trong thời hạn. Khi có kết quả "
    "hoặc cần bổ sung, cơ quan giải quyết sẽ thông báo."
)
_REFUSED = (
    "Hồ sơ chưa được tiếp nhận; lý do được ghi trong thông báo từ chối tiếp nhận. Anh/chị "
    "hoàn thiện hồ sơ theo hướng dẫn rồi nộp lại."
)
_OVERDUE = (
    "Hồ sơ đã quá hạn {days} ngày so với ngày hẹn trả. Cơ quan giải quyết có trách nhiệm gửi "
    "phiếu xin lỗi và hẹn lại ngày trả kết quả; anh/chị có thể liên hệ Bộ phận tiếp nhận và "
    "trả kết quả để được giải thích."
)


# The reference one-stop-shop's dossiers (used when no iGate is configured) are made up: an
# answer must not read as a real dossier from the one-stop-shop or the national database.
DEMO_DOSSIER_ORIGIN = (
    "hồ sơ mẫu DEMO của dịch vụ một cửa mẫu đi kèm troly, không phải dữ liệu của hệ thống "
    "một cửa hay CSDL quốc gia"
)


def vn_date(iso: str) -> str:
    """'2025-11-20' -> '20/11/2025' ('' stays '')."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _what_next(status: DossierStatus) -> str:
    if status.next_action:
        return status.next_action
    if status.status_code == 3:
        return _REFUSED
    if status.status_code in _IN_TIME and status.overdue_days == 0:
        return _NOTHING_TO_DO
    return ""


def format_status(status: DossierStatus, *, demo: bool = False) -> str:
    """Status label, current step and unit, received/due dates, overdue days, what to do;
    with `demo`, first a line saying the record is a demo one."""
    title = f"Hồ sơ {status.code}"
    if status.procedure_name:
        title += f" — {status.procedure_name}"
    lines = [title]
    if demo:
        lines.append(f"• Nguồn: {DEMO_DOSSIER_ORIGIN}")
    if status.applicant_masked:
        lines.append(f"• Người nộp: {status.applicant_masked}")
    lines.append(f"• Tình trạng: {status.status_label or 'chưa xác định'}")
    if status.current_step:
        unit = f" ({status.handling_unit})" if status.handling_unit else ""
        lines.append(f"• Bước hiện tại: {status.current_step}{unit}")
    elif status.handling_unit:
        lines.append(f"• Đơn vị đang xử lý: {status.handling_unit}")
    if status.channel:
        lines.append(f"• Hình thức nộp: {status.channel}")
    for label, value in (
        ("Ngày tiếp nhận", status.received_date),
        ("Ngày hẹn trả kết quả", "" if status.status_code in _STOPPED else status.due_date),
        ("Ngày giải quyết xong", status.completed_date),
        ("Ngày trả kết quả", status.returned_date),
    ):
        if value:
            lines.append(f"• {label}: {vn_date(value)}")
    if status.overdue_days > 0:
        if status.completed_date:
            lines.append(f"• Hồ sơ được giải quyết trễ {status.overdue_days} ngày so với ngày hẹn.")
        else:
            lines.append(f"• {_OVERDUE.format(days=status.overdue_days)}")
    if what_next := _what_next(status):
        lines.append(f"• Việc cần làm: {what_next}")
    return "\n".join(lines)
