"""Public endpoints: chat (JSON or SSE), search, dossier lookup, feedback."""

from __future__ import annotations

import math

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from assistant.core.audience import may_see
from ui.api.deps import Ctx, client_ip, presented_key, rate_limit, resolve_caller
from ui.error_map import ApiError
from ui.api.schemas import (
    AnswerPublic,
    ChatRequest,
    DossierLookupPublic,
    DossierLookupRequest,
    DossierUnlockPublic,
    DossierUnlockRequest,
    FeedbackCreate,
    FeedbackPublic,
    SearchHitPublic,
    SearchPublic,
)
from ui.api.sse import answer_events

router = APIRouter(prefix="/v1", tags=["chat"])

_DOSSIER_STATUS = {
    "ok": 200, "not_found_or_mismatch": 404, "invalid": 422,
    "rate_limited": 429, "locked": 429, "unavailable": 503,
}


@router.post(
    "/chat",
    response_model=AnswerPublic,
    responses={200: {"content": {"text/event-stream": {}}, "description": "JSON or SSE"}},
)
def chat(body: ChatRequest, request: Request, ctx: Ctx):  # noqa: ANN201 - JSON or a stream
    """Answer a question (regulations, TTHC, dossier status). Streams server-sent events when
    `stream` is true or the client accepts `text/event-stream`."""
    ctx.policy.check_question(body.message)
    caller = resolve_caller(request, ctx, body.audience)
    channel = "api-staff" if caller.audience == "staff" else "api-citizen"
    if body.client == "widget" and caller.audience != "staff":
        channel = "widget"
    if body.stream or "text/event-stream" in request.headers.get("accept", ""):
        pieces = lambda: ctx.runner.stream(  # noqa: E731
            body.message, caller.audience, body.conversation_id, caller.client_id, channel
        )
        return StreamingResponse(
            answer_events(pieces), media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    turn = ctx.runner.ask(
        body.message, caller.audience, body.conversation_id, caller.client_id, channel
    )
    return AnswerPublic.of(turn)


@router.get("/search", response_model=SearchPublic)
def search(
    request: Request,
    ctx: Ctx,
    q: str = Query(min_length=1, max_length=500),
    limit: int = Query(default=10, ge=1, le=50),
    audience: str = Query(default="citizen", pattern="^(citizen|staff)$"),
) -> SearchPublic:
    caller = resolve_caller(request, ctx, audience)
    hits = ctx.services.chat.search(q, audience=caller.audience, limit=limit)
    # defence in depth: never show a staff chunk to a citizen
    hits = [h for h in hits if may_see(caller.audience, h.chunk.audience)]
    return SearchPublic(query=q, hits=[SearchHitPublic.of(h) for h in hits])


@router.post("/dossiers/lookup", response_model=DossierLookupPublic)
def dossier_lookup(body: DossierLookupRequest, request: Request, ctx: Ctx) -> JSONResponse:
    """Status of a dossier, given its code and the verification factor (e.g. last 4 phone
    digits). A wrong factor and an unknown code give the same answer."""
    client = client_ip(request)
    rate_limit(ctx, client)
    result = ctx.lookup_dossier(body.code, body.verification, client)
    public = DossierLookupPublic.of(result)
    status = _DOSSIER_STATUS.get(result.outcome, 200)
    headers = ({"Retry-After": str(max(1, math.ceil(result.retry_after_s)))}
               if status == 429 else None)
    return JSONResponse(public.model_dump(), status_code=status, headers=headers)


@router.post("/dossiers/unlock", response_model=DossierUnlockPublic)
def dossier_unlock(body: DossierUnlockRequest, request: Request, ctx: Ctx) -> DossierUnlockPublic:
    """Staff (or admin) key: reopen a dossier code locked after failed verifications, for
    example when its owner calls the one-stop-shop; with `client_id`, also that client's own
    lock on the code. Logged in the dossier audit trail."""
    key = presented_key(request)
    if not (ctx.staff_keys.matches(key) or ctx.admin_keys.matches(key)):
        raise ApiError(401, "unauthorized", "Cần khóa cán bộ hợp lệ (X-API-Key) / a valid staff "
                       "key is required (X-API-Key)", headers={"WWW-Authenticate": "Bearer"})
    unlock = getattr(ctx.services.dossier, "unlock", None)
    done = bool(unlock(body.code, client_id=body.client_id)) if unlock is not None else False
    if done:
        ctx.services.storage.record_lookup(client_ip(request), body.code.strip(), "unlocked")
    return DossierUnlockPublic(code=body.code.strip(), unlocked=done)


@router.post("/feedback", response_model=FeedbackPublic, status_code=201)
def feedback(body: FeedbackCreate, request: Request, ctx: Ctx) -> FeedbackPublic:
    """Thumbs up/down and a comment on one answer (kept with that answer's citations)."""
    rate_limit(ctx, client_ip(request))
    record = ctx.services.storage.add_feedback(body.answer_id, body.rating, body.comment.strip())
    ctx.metrics.feedback.labels(body.rating).inc()
    return FeedbackPublic.of(record)
