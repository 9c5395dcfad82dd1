"""Console endpoints (admin key): analytics, curated answers, API keys, conversations and the
admin change log."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from ui.api.deps import Ctx, presented_key, require_admin
from ui.error_map import ApiError
from ui.console.analytics import analytics as build_analytics
from assistant.core.timestamps import now_iso
from ui.console.conversations import conversations, to_csv
from ui.console.queries import Window

router = APIRouter(prefix="/v1/admin", tags=["console"], dependencies=[Depends(require_admin)])


def actor(request: Request, ctx: Ctx) -> str:
    return ctx.admin_keys.actor(presented_key(request)) or "admin"


class SourceIn(BaseModel):
    kind: str = Field(description="document | contact")
    title: str
    document_number: str = ""
    article: str = ""
    unit_id: str = ""
    contact: str = Field(default="", description="Đầu mối liên hệ (điện thoại, địa chỉ)")


class CuratedIn(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field(min_length=1, max_length=8000)
    sources: list[SourceIn] = Field(min_length=1)
    variants: list[str] = Field(default_factory=list, max_length=50)
    audience: str = "all"
    expires_at: str = Field(default="", description="yyyy-mm-dd; empty = never")


class CuratedPatch(BaseModel):
    question: str | None = None
    answer: str | None = None
    sources: list[SourceIn] | None = None
    variants: list[str] | None = None
    audience: str | None = None
    expires_at: str | None = None


class KeyIn(BaseModel):
    scope: str = Field(description="admin | staff")
    label: str = Field(min_length=1, max_length=200)
    expires_at: str = Field(default="", description="yyyy-mm-dd; empty = never")


@router.get("/analytics")
def analytics(ctx: Ctx, days: int = Query(default=7, ge=1, le=366)) -> dict:
    """Questions by day / channel / route, unanswered groups, feedback, latency p50/p95 and
    dossier lookups over the last `days` days (UTC, today included)."""
    return build_analytics(ctx.console.queries, days)


@router.get("/curated")
def list_curated(ctx: Ctx) -> list[dict]:
    now = now_iso()
    return [{**asdict(c), "active": c.active(now)} for c in ctx.console.curated.list()]


@router.post("/curated", status_code=201)
def create_curated(body: CuratedIn, request: Request, ctx: Ctx) -> dict:
    record = ctx.console.curated.create(
        actor(request, ctx), body.question, body.answer, [s.model_dump() for s in body.sources],
        variants=body.variants, audience=body.audience, expires_at=body.expires_at)
    return asdict(record)


@router.patch("/curated/{curated_id}")
def update_curated(curated_id: str, body: CuratedPatch, request: Request, ctx: Ctx) -> dict:
    changes = body.model_dump(exclude_none=True)
    if body.sources is not None:
        changes["sources"] = [s.model_dump() for s in body.sources]
    return asdict(ctx.console.curated.update(actor(request, ctx), curated_id, **changes))


@router.post("/curated/{curated_id}/expire")
def expire_curated(curated_id: str, request: Request, ctx: Ctx) -> dict:
    return asdict(ctx.console.curated.expire(actor(request, ctx), curated_id))


@router.delete("/curated/{curated_id}")
def delete_curated(curated_id: str, request: Request, ctx: Ctx) -> dict:
    return asdict(ctx.console.curated.delete(actor(request, ctx), curated_id))


@router.get("/keys")
def list_keys(ctx: Ctx) -> list[dict]:
    now = now_iso()
    return [{**asdict(k), "status": k.status(now)} for k in ctx.console.keys.list()]


@router.post("/keys", status_code=201)
def create_key(body: KeyIn, request: Request, ctx: Ctx) -> dict:
    """Creates a key. The key itself is in this response only: it is stored as a hash."""
    key, record = ctx.console.keys.create(actor(request, ctx), body.scope, body.label,
                                          body.expires_at)
    return {**asdict(record), "key": key, "status": record.status(now_iso())}


@router.delete("/keys/{key_id}")
def revoke_key(key_id: str, request: Request, ctx: Ctx) -> dict:
    record = ctx.console.keys.revoke(actor(request, ctx), key_id)
    return {**asdict(record), "status": record.status(now_iso())}


def _window(start: date | None, end: date | None, days: int) -> Window:
    if start is None and end is None:
        return Window.last_days(days)
    start = start or end
    end = end or start
    if end < start:  # type: ignore[operator]
        raise ApiError(422, "invalid_request", "Ngày kết thúc (to) trước ngày bắt đầu (from) / "
                       "'to' is before 'from'")
    return Window.dates(start.isoformat(), end.isoformat())  # type: ignore[union-attr]


@router.get("/conversations")
def list_conversations(
    ctx: Ctx, days: int = Query(default=7, ge=1, le=366),
    start: date | None = Query(default=None, alias="from"),
    end: date | None = Query(default=None, alias="to"),
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[dict]:
    """Recent exchanges, newest first, personal data masked."""
    return [asdict(r) for r in conversations(ctx.console.queries, _window(start, end, days), limit)]


@router.get("/conversations.csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}})
def export_conversations(
    ctx: Ctx, start: date | None = Query(default=None, alias="from"),
    end: date | None = Query(default=None, alias="to"), days: int = Query(default=30, ge=1, le=366),
) -> Response:
    """CSV of every exchange in [from, to] (dates, UTC), oldest first, personal data masked."""
    window = _window(start, end, days)
    rows = conversations(ctx.console.queries, window, limit=None, newest_first=False)
    name = f"troly-hoi-dap-{window.days[0]}-{window.days[-1]}.csv"
    return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/changes")
def admin_changes(ctx: Ctx, limit: int = Query(default=100, ge=1, le=1000)) -> list[dict]:
    """The admin change log (curated answers, API keys)."""
    return [asdict(r) for r in ctx.console.audit.recent(limit)]
