"""FastAPI error handlers over the shared error mapping (`ui.error_map`)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.core.errors import TrolyError
from ui.error_map import error_body, map_error


def install_error_handlers(app: FastAPI) -> None:
    async def on_error(_request: Request, exc: Exception) -> JSONResponse:
        status, code, message, headers = map_error(exc)
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)

    async def on_http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error")
        return JSONResponse(
            error_body(code, str(exc.detail)), status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )

    async def on_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        body = error_body("invalid_request", "Dữ liệu gửi lên không hợp lệ / invalid request")
        return JSONResponse({**body, "details": details}, status_code=422)

    app.add_exception_handler(TrolyError, on_error)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_invalid)
    app.add_exception_handler(Exception, on_error)
