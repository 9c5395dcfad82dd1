"""Handlers behind the "Tình trạng hiệu lực" part of the Gradio admin tab: load a document's
status (extracted / derived values prefilled, older documents it may replace proposed), save an
edit (audited), and the status columns and proposals shown in the document list and after an
upload. Every call checks the admin key."""

from __future__ import annotations

from pathlib import Path

from ui.error_map import map_error
from ui.context import AppContext
from ui.document_status import StatusEdit, actor_of, edit_status, replacement_proposals, status_summary
from ui.jobs import Job

NEED_ADMIN_KEY = "Khóa quản trị không đúng."
VALIDITY_CHOICES = [
    ("Đọc từ văn bản / giữ nguyên", ""), ("Còn hiệu lực", "in_force"),
    ("Còn hiệu lực, đã sửa đổi một phần", "amended"), ("Đã bị thay thế", "replaced"),
    ("Hết hiệu lực", "expired"),
]  # fmt: skip
STATUS_HEADERS = ["Hiệu lực từ", "Tình trạng", "Đề xuất thay thế"]


def status_cells(ctx: AppContext) -> dict[str, list[str]]:
    """doc_id -> the status columns of the document list."""
    records = ctx.services.admin.list_documents()
    return {
        r.doc_id: [r.effective_date, status_summary(r),
                   "; ".join(f"{p['title']} ({p['doc_id']}, {p['reason']})"
                             for p in replacement_proposals(r, records))]
        for r in records
    }  # fmt: skip


def load_status(ctx: AppContext, key: str, doc_id: str) -> tuple[str, str, str, str, str]:
    """(validity, effective date, replaced by, replaces, explanation) for the edit form."""
    if not ctx.admin_keys.matches(key):
        return "", "", "", "", NEED_ADMIN_KEY
    try:
        record = ctx.services.admin.get_document((doc_id or "").strip())
    except Exception as exc:  # noqa: BLE001
        return "", "", "", "", f"**Lỗi:** {map_error(exc)[2]}"
    proposals = replacement_proposals(record, ctx.services.admin.list_documents())
    lines = [f"**{record.title}** — {record.document_number or 'không rõ số hiệu'}",
             f"Tình trạng: {status_summary(record)}",
             f"Ban hành: {record.issue_date or '?'} · hiệu lực từ: {record.effective_date or '?'} "
             f"· cơ quan: {record.issuer or '?'}"]  # fmt: skip
    if proposals:
        lines.append("Đề xuất: văn bản này có thể thay thế " + "; ".join(
            f"{p['title']} ({p['doc_id']}, {p['reason']})" for p in proposals)
            + ". Bấm *Lưu tình trạng* để xác nhận, hoặc xóa ô *Thay thế văn bản*.")
    return (record.override.get("validity", ""), record.effective_date, record.replaced_by,
            ", ".join(p["doc_id"] for p in proposals), "\n\n".join(lines))  # fmt: skip


def save_status(ctx: AppContext, key: str, doc_id: str, validity: str, effective_date: str,
                replaced_by: str, replaces: str) -> str:
    if not ctx.admin_keys.matches(key):
        return NEED_ADMIN_KEY
    try:
        record = ctx.services.admin.get_document((doc_id or "").strip())
    except Exception as exc:  # noqa: BLE001
        return f"**Lỗi:** {map_error(exc)[2]}"

    def changed(name: str, value: str | None) -> str | None:
        """A prefilled value left as it was is not an edit (keeps the text's value live)."""
        value = (value or "").strip()
        return None if value == getattr(record, name) and name not in record.override else value

    edit = StatusEdit(
        validity=validity or "", effective_date=changed("effective_date", effective_date),
        replaced_by=changed("replaced_by", replaced_by),
        replaces=[d for d in (replaces or "").replace(";", ",").split(",") if d.strip()],
    )  # fmt: skip
    try:
        record = edit_status(ctx, record.doc_id, edit, actor_of(ctx, key))
    except Exception as exc:  # noqa: BLE001
        return f"**Lỗi:** {map_error(exc)[2]}"
    return f"Đã lưu: {record.title} — {status_summary(record)}"


def upload_proposals(ctx: AppContext, job: Job) -> str:
    """After an upload: the new documents that look like new versions of indexed ones."""
    if job.status != "done":
        return ""
    records = ctx.services.admin.list_documents()
    lines = [
        f"\n- Đề xuất: {Path(r.source).name} có thể thay thế {p['title']} (mã {p['doc_id']}, "
        f"{p['reason']}); khai báo ở mục *Tình trạng hiệu lực*."
        for r in records if Path(r.source.split("#", 1)[0]).name in job.files
        for p in replacement_proposals(r, records)
    ]  # fmt: skip
    return "".join(lines)
