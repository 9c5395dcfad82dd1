"""Request dependencies: the app context, API keys, callers and the citizen rate limit."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from assistant.core.audience import reader_of
from ui.error_map import ApiError
from ui.context import AppContext

_BEARER = "bearer "


def get_context(request: Request) -> AppContext:
    return request.app.state.ctx


Ctx = Annotated[AppContext, Depends(get_context)]


def presented_key(request: Request) -> str | None:
    """`X-API-Key: KEY` or `Authorization: Bearer KEY`."""
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith(_BEARER):
        return auth[len(_BEARER):].strip()
    return None


def client_ip(request: Request) -> str:
    # uvicorn rewrites request.client from X-Forwarded-For only for trusted proxies.
    return request.client.host if request.client else "unknown"


def _unauthorized(vi: str, en: str) -> ApiError:
    return ApiError(
        401, "unauthorized",
        f"Cần khóa {vi} hợp lệ (X-API-Key) / a valid {en} key is required (X-API-Key)",
        headers={"WWW-Authenticate": "Bearer"},
    )


def require_admin(request: Request, ctx: Ctx) -> None:
    if not ctx.admin_keys.matches(presented_key(request)):
        raise _unauthorized("quản trị", "admin")


@dataclass(frozen=True)
class Caller:
    audience: str  # "citizen" | "staff"
    client_id: str
    is_staff: bool


def rate_limit(ctx: AppContext, client: str) -> None:
    wait = ctx.limiter.acquire(client)
    if wait > 0:
        raise ApiError(
            429, "rate_limited",
            "Bạn gửi quá nhiều yêu cầu, vui lòng thử lại sau ít phút / too many requests",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )


def resolve_caller(request: Request, ctx: AppContext, audience: str) -> Caller:
    """Staff audience needs a staff key; anonymous callers are citizens and rate-limited."""
    is_staff = ctx.staff_keys.matches(presented_key(request))
    if audience == "staff" and not is_staff:
        raise _unauthorized("cán bộ", "staff")
    client = client_ip(request)
    if not is_staff:
        rate_limit(ctx, client)
    return Caller(audience=reader_of(audience), client_id=client,
                  is_staff=is_staff)
