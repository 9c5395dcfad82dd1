"""`create_app(services)`: the one FastAPI app behind the API, the Gradio UI and the widget."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from ui.api import routes_admin, routes_chat, routes_console, routes_ops
from ui.api.errors import install_error_handlers
from ui.api.openapi_security import declare_security
from ui.context import AppContext
from ui.limits import BodySizeLimit
from ui.metrics import MetricsMiddleware
from ui.services import Services

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Trợ lý ảo ngành Y tế: hỏi đáp văn bản quy phạm, thủ tục hành chính (TTHC) và tra cứu "
    "tình trạng hồ sơ. Kênh công dân ẩn danh (giới hạn tần suất); kênh cán bộ cần khóa "
    "`X-API-Key`; các API quản trị cần khóa quản trị."
)


def create_app(services: Services, *, with_ui: bool = True) -> FastAPI:
    """Build the app around already-built services. Nothing here loads a model or opens a
    socket; `with_ui=False` leaves the Gradio UI out (faster tests of the API alone)."""
    ctx = AppContext.build(services)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.close()

    # /docs and /redoc with their scripts served by troly itself: no CDN on an offline network
    app = FastAPIOffline(
        title="troly", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
        static_url="/static/api-docs",
    )
    app.state.ctx = ctx
    app.state.ui_mounted = False
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(services.settings.cors_origins),
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=["Content-Type", "Accept", "X-API-Key", "Authorization"],
        max_age=600,
    )
    app.add_middleware(MetricsMiddleware, metrics=ctx.metrics)
    app.add_middleware(BodySizeLimit, policy=ctx.policy)  # outermost: before anything reads
    install_error_handlers(app)
    app.include_router(routes_ops.router)
    app.include_router(routes_chat.router)
    app.include_router(routes_admin.router)
    app.include_router(routes_console.router)
    declare_security(app)
    if with_ui:
        from ui.gradio_app import mount_ui  # gradio takes seconds to import: only when asked

        mount_ui(app, ctx)
        app.state.ui_mounted = True
    return app
