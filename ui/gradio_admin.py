"""Handlers behind the Gradio admin tab: upload with progress, document list, delete,
re-index. Every call checks the admin key."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

from assistant.core.errors import TrolyError
from ui.error_map import map_error
from ui.context import AppContext
from ui.document_status import StatusEdit, actor_of, declare_at_upload
from ui.gradio_status import STATUS_HEADERS, status_cells, upload_proposals
from ui.gradio_guard import confined, discard, gradio_upload_folder
from ui.jobs import Job
from ui.uploads import store_uploads

DOC_HEADERS = ["Mã", "Tệp", "Tiêu đề", "Số hiệu", "Đối tượng", "Số đoạn", "Phiên bản",
               "Lập chỉ mục lúc", "Độ tin cậy OCR", "Cảnh báo", *STATUS_HEADERS]
NEED_ADMIN_KEY = "Khóa quản trị không đúng."
Progress = Callable[..., object]


def document_rows(ctx: AppContext, key: str) -> list[list[object]]:
    if not ctx.admin_keys.matches(key):
        return []
    status = status_cells(ctx)
    return [
        [r.doc_id, Path(r.source.split("#", 1)[0]).name, r.title, r.document_number,
         "Cán bộ" if r.audience == "staff" else "Công khai", r.chunks, r.version, r.indexed_at,
         ocr_label(r.ocr_confidence), "; ".join(r.warnings), *status.get(r.doc_id, ["", "", ""])]
        for r in ctx.services.admin.list_documents()
    ]


def ocr_label(confidence: float | None) -> str:
    """"" for a document with no scanned page, else its OCR confidence ("87%")."""
    return "" if confidence is None else f"{confidence:.0%}"


def job_text(job: Job) -> str:
    if job.status == "failed":
        return f"**Lỗi:** {job.error}"
    if job.status == "cancelled":
        return f"**Đã hủy:** {job.error}"
    if job.status != "done":
        return f"Đang xử lý {job.done}/{job.total} {job.message}"
    s = job.summary or {}
    failed = "".join(f"\n- Không lập chỉ mục được {f['file']}: {f['reason']}"
                     for f in s.get("failed", []))
    failed += "".join(f"\n- Cảnh báo {w['file']}: {w['warning']}" for w in s.get("warnings", []))
    return (f"**Xong:** thêm {s.get('added', 0)}, cập nhật {s.get('updated', 0)}, "
            f"không đổi {s.get('unchanged', 0)}, {s.get('chunks', 0)} đoạn, "
            f"{s.get('seconds', 0)} giây.{failed}")


def follow_job(ctx: AppContext, job: Job, progress: Progress, poll_s: float = 0.2) -> Iterator[str]:
    while job.status in ("queued", "running"):
        fraction = (job.done / job.total) if job.total > 0 else None
        progress(fraction, desc=f"{job.done}/{job.total} {job.message}")
        yield job_text(job)
        time.sleep(poll_s)
        job = ctx.jobs.get(job.job_id)
    yield job_text(job) + upload_proposals(ctx, job)


def upload(ctx: AppContext, key: str, files: list[str] | None, audience: str,
           progress: Progress, *, validity: str = "", effective_date: str = "",
           replaces: str = "", folder: Path | None = None) -> Iterator[str]:
    """`validity`, `effective_date`, `replaces` (doc ids): status declared with the upload
    (empty: read from the document's text).

    Only files inside Gradio's own upload folder (`folder`) are read: a path sent through the
    Gradio API (`/etc/...`, the project's files) is refused. Gradio's cached copies are
    deleted whatever happens (refused key, refused file, stored)."""
    folder = folder or gradio_upload_folder()
    files = list(files or [])
    try:
        yield from _upload(ctx, key, files, audience, progress, folder,
                           (validity, effective_date, replaces))
    finally:
        discard(files, folder)


def _upload(ctx: AppContext, key: str, files: list[str], audience: str, progress: Progress,
            folder: Path, status: tuple[str, str, str]) -> Iterator[str]:
    validity, effective_date, replaces = status
    if not ctx.admin_keys.matches(key):
        yield NEED_ADMIN_KEY
        return
    if not files:
        yield "Chọn ít nhất một tệp."
        return
    inside, refused = confined(files, folder)
    if refused:
        yield (f"**Lỗi:** chỉ nhận tệp vừa tải lên qua trang này: {', '.join(refused)} / only "
               "files uploaded through this page are accepted")
        return
    audience = "staff" if audience == "staff" else "public"
    try:
        ctx.policy.check_file_count(len(inside))
        with ExitStack() as stack:
            handles = [(p.name, stack.enter_context(open(p, "rb"))) for p in inside]
            declared = StatusEdit(validity=validity or None, effective_date=effective_date or None,
                                  replaces=(replaces or "").replace(";", ",").split(",")).checked()
            saved = store_uploads(handles, ctx.uploads_dir, ctx.max_upload_bytes, audience)
            declare_at_upload(ctx, saved, declared, actor_of(ctx, key))
    except TrolyError as exc:
        yield f"**Lỗi:** {map_error(exc)[2]}"
        return
    ctx.metrics.jobs.labels("upload").inc()
    yield from follow_job(ctx, ctx.jobs.submit_index(saved, audience), progress)


def reindex(ctx: AppContext, key: str, progress: Progress) -> Iterator[str]:
    if not ctx.admin_keys.matches(key):
        yield NEED_ADMIN_KEY
        return
    ctx.metrics.jobs.labels("reindex").inc()
    yield from follow_job(ctx, ctx.jobs.submit_reindex(), progress)


def delete(ctx: AppContext, key: str, doc_id: str) -> str:
    if not ctx.admin_keys.matches(key):
        return NEED_ADMIN_KEY
    doc_id = (doc_id or "").strip()
    if not doc_id:
        return "Nhập mã văn bản cần xóa."
    try:
        record = ctx.delete_document(doc_id)
    except Exception as exc:  # noqa: BLE001
        return f"**Lỗi:** {map_error(exc)[2]}"
    return f"Đã xóa: {record.title} ({record.doc_id})"
