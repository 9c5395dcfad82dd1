"""Health, readiness, Prometheus metrics, the embeddable widget and its demo portal page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response

from ui.api.deps import Ctx
from ui.metrics import CONTENT_TYPE

router = APIRouter(tags=["ops"])

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(ctx: Ctx) -> JSONResponse:
    """Ready to answer: the index has chunks and the conversation database answers."""
    try:
        chunks = int(ctx.services.index_size())
    except Exception:  # noqa: BLE001 - readiness reports, it does not raise
        chunks = -1
    checks = {"index": chunks > 0, "database": ctx.services.storage.ping()}
    ready = all(checks.values())
    body = {"status": "ready" if ready else "not_ready", "checks": checks, "index_chunks": chunks}
    # A degraded LLM does not make troly unready (extractive answers go on), but it shows.
    body["llm"] = ctx.services.llm_gate.snapshot() if ctx.services.llm_gate else {"state": "off"}
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics", include_in_schema=False)
def metrics(ctx: Ctx) -> Response:
    if ctx.services.llm_gate is not None:
        ctx.metrics.observe_llm(ctx.services.llm_gate.snapshot())
    return Response(ctx.metrics.render(), media_type=CONTENT_TYPE)


@router.get("/widget.js", include_in_schema=False)
def widget_js() -> FileResponse:
    """The embeddable citizen chat widget: `<script src="https://HOST/widget.js" defer>`."""
    return FileResponse(
        STATIC_DIR / "widget.js", media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/demo", include_in_schema=False)
def demo_page() -> HTMLResponse:
    """A sample provincial portal page with the widget embedded."""
    return HTMLResponse((STATIC_DIR / "demo.html").read_text(encoding="utf-8"))


@router.get("/", include_in_schema=False)
def root(request: Request) -> RedirectResponse:
    target = "/ui/" if getattr(request.app.state, "ui_mounted", False) else "/docs"
    return RedirectResponse(target)


FAVICON = STATIC_DIR / "favicon.svg"


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    """The site icon (browsers ask for it on every page: no 404 in their console)."""
    return FileResponse(FAVICON, media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/manifest.json", include_in_schema=False)
def manifest() -> JSONResponse:
    return JSONResponse({"name": "Trợ lý ảo ngành Y tế", "short_name": "troly",
                         "icons": [{"src": "/favicon.ico", "sizes": "any",
                                    "type": "image/svg+xml"}],
                         "start_url": "/ui/", "display": "standalone"},
                        media_type="application/manifest+json")
