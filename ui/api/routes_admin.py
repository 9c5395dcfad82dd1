"""Admin endpoints (admin API key): upload documents as background indexing jobs, follow job
progress, list / show / delete documents, re-index."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message

from assistant.core.audience import DOCUMENT_AUDIENCES
from ui.api.deps import Ctx, presented_key, require_admin
from ui.error_map import ApiError
from ui.api.schemas import (
    DocumentPublic,
    DocumentStatusUpdate,
    FeedbackPublic,
    JobPublic,
    UploadedFilePublic,
)
from ui.document_status import (
    StatusEdit,
    actor_of,
    declare_at_upload,
    edit_status,
    replacement_proposals,
)
from ui.uploads import delete_unindexed_upload, list_uploads, store_uploads

router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(require_admin)])


_UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                                  "description": "PDF, DOCX, HTML, TXT, MD, JSON"},
                        "audience": {"type": "string", "enum": ["public", "staff"]},
                        "validity": {"type": "string", "description": "in_force | amended | replaced | expired (mặc định: đọc từ văn bản)"},
                        "effective_date": {"type": "string", "description": "yyyy-mm-dd hoặc dd/mm/yyyy"},
                        "replaces": {"type": "string", "description": "doc_id văn bản cũ được thay thế (cách nhau bởi dấu phẩy)"},
                    },
                }
            }
        },
    }
}


@router.post(
    "/documents", response_model=JobPublic, status_code=202, openapi_extra=_UPLOAD_SCHEMA
)
async def upload_documents(request: Request, ctx: Ctx) -> JobPublic:
    """Save the files into the uploads folder and start an indexing job; returns the job.

    The body is read only after the admin key is checked, and never beyond the size limit."""
    limit = ctx.policy.max_multipart_bytes
    if int(request.headers.get("content-length") or 0) > limit:
        raise _too_large()
    try:
        form = await Request(request.scope, _capped(request, limit)).form(
            max_files=ctx.policy.max_upload_files)
    except StarletteHTTPException as exc:  # starlette's "Too many files": the policy's message
        if "files" in str(exc.detail).lower():
            ctx.policy.check_file_count(ctx.policy.max_upload_files + 1)
        raise
    try:
        audience = str(form.get("audience") or "public")
        if audience not in DOCUMENT_AUDIENCES:
            raise ApiError(422, "invalid_request", "audience: public | staff")
        uploads = [f for f in form.getlist("files") if isinstance(f, StarletteUpload)]
        if not uploads:
            raise ApiError(422, "invalid_request", "Thiếu tệp (files) / no files sent")
        declared = _declared_status(form)
        saved = await run_in_threadpool(
            store_uploads, [(f.filename or "", f.file) for f in uploads], ctx.uploads_dir,
            ctx.max_upload_bytes, audience,
        )
        declare_at_upload(ctx, saved, declared, actor_of(ctx, presented_key(request)))
    finally:
        await form.close()
    ctx.metrics.jobs.labels("upload").inc()
    return JobPublic.of(ctx.jobs.submit_index(saved, audience))


def _declared_status(form) -> StatusEdit:
    """Status fields of the upload form (empty ones are left to the document's text)."""
    replaces = str(form.get("replaces") or "")
    return StatusEdit(
        validity=str(form.get("validity") or "") or None,
        effective_date=str(form.get("effective_date") or "") or None,
        replaces=[d for d in replaces.replace(";", ",").split(",") if d.strip()],
    ).checked()


def _too_large() -> ApiError:
    return ApiError(413, "too_large", "Tệp tải lên quá lớn / upload too large")


def _capped(request: Request, limit: int) -> Callable[[], Awaitable[Message]]:
    received = 0

    async def receive() -> Message:
        nonlocal received
        message = await request.receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise _too_large()
        return message

    return receive


@router.get("/jobs", response_model=list[JobPublic])
def list_jobs(ctx: Ctx) -> list[JobPublic]:
    return [JobPublic.of(job) for job in ctx.jobs.list()]


@router.get("/jobs/{job_id}", response_model=JobPublic)
def get_job(job_id: str, ctx: Ctx) -> JobPublic:
    return JobPublic.of(ctx.jobs.get(job_id))


@router.delete("/jobs/{job_id}", response_model=JobPublic)
def cancel_job(job_id: str, ctx: Ctx) -> JobPublic:
    """Cancel a job: a queued one never runs; a running one abandons the document it is reading
    and stops (status `cancelled`). The index keeps what it had before that document."""
    return JobPublic.of(ctx.jobs.cancel(job_id))


@router.get("/uploads", response_model=list[UploadedFilePublic])
def list_uploaded_files(ctx: Ctx) -> list[UploadedFilePublic]:
    """Files in the uploads folder, with whether a document came from each (an unreadable
    upload shows `indexed: false`)."""
    sources = [r.source for r in ctx.services.admin.list_documents()]
    return [UploadedFilePublic(**asdict(u)) for u in list_uploads(ctx.uploads_dir, sources)]


@router.delete("/uploads/{name}")
def delete_uploaded_file(name: str, ctx: Ctx) -> dict[str, str]:
    """Delete an uploaded file that no document comes from (409 when one does: delete the
    document instead, which removes its file)."""
    with ctx.jobs.exclusive():
        sources = [r.source for r in ctx.services.admin.list_documents()]
        delete_unindexed_upload(name, ctx.uploads_dir, sources)
    return {"deleted": name}


@router.get("/documents", response_model=list[DocumentPublic])
def list_documents(ctx: Ctx) -> list[DocumentPublic]:
    return [DocumentPublic.of(r) for r in ctx.services.admin.list_documents()]


@router.get("/documents/{doc_id}", response_model=DocumentPublic)
def get_document(doc_id: str, ctx: Ctx) -> DocumentPublic:
    """One document with its status, the changes made to it and replacement proposals."""
    admin = ctx.services.admin
    record = admin.get_document(doc_id)
    return DocumentPublic.of(record, replacement_proposals(record, admin.list_documents()))


@router.patch("/documents/{doc_id}/status", response_model=DocumentPublic)
def update_document_status(
    doc_id: str, body: DocumentStatusUpdate, request: Request, ctx: Ctx
) -> DocumentPublic:
    """Set status / effective date / replaced-by, or declare that this document replaces older
    ones; logged (before/after, who) in the document's status log and the admin change log."""
    edit = StatusEdit(**body.model_dump())
    record = edit_status(ctx, doc_id, edit, actor_of(ctx, presented_key(request)))
    return DocumentPublic.of(record, replacement_proposals(record, ctx.services.admin.list_documents()))


@router.get("/documents/{doc_id}/status-changes")
def document_status_changes(doc_id: str, ctx: Ctx) -> list[dict]:
    """The admin's status edits of one document, newest first."""
    ctx.services.admin.get_document(doc_id)  # 404 for an unknown document
    return ctx.services.admin.status_changes(doc_id)


@router.delete("/documents/{doc_id}", response_model=DocumentPublic)
def delete_document(doc_id: str, ctx: Ctx) -> DocumentPublic:
    """Remove a document from the index (and its uploaded file, if it was uploaded here)."""
    return DocumentPublic.of(ctx.delete_document(doc_id))


@router.post("/reindex", response_model=JobPublic, status_code=202)
def reindex(ctx: Ctx) -> JobPublic:
    """Index every known document again (unchanged files are skipped)."""
    ctx.metrics.jobs.labels("reindex").inc()
    return JobPublic.of(ctx.jobs.submit_reindex())


@router.get("/feedback", response_model=list[FeedbackPublic])
def list_feedback(ctx: Ctx, limit: int = Query(default=100, ge=1, le=1000)) -> list[FeedbackPublic]:
    return [FeedbackPublic.of(r) for r in ctx.services.storage.list_feedback(limit)]


@router.get("/audit")
def dossier_audit(ctx: Ctx, limit: int = Query(default=100, ge=1, le=1000)) -> list[dict]:
    """Recent dossier lookups (time, client, code, outcome; no personal data)."""
    return [vars(r) for r in ctx.services.storage.recent_audit(limit)]
