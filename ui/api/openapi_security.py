"""Security schemes in the OpenAPI document, so "Authorize" in /docs sends the key: an
`X-API-Key` header or `Authorization: Bearer`. Admin routes require one; the chat and search
routes take one optionally (staff)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

SCHEMES = {
    "ApiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
               "description": "Khóa quản trị hoặc cán bộ / admin or staff key"},
    "Bearer": {"type": "http", "scheme": "bearer",
               "description": "Cùng khóa, dạng Authorization: Bearer / the same key as a bearer token"},
}
REQUIRED = [{"ApiKey": []}, {"Bearer": []}]
OPTIONAL = [{}, *REQUIRED]
_KEY_REQUIRED = ("/v1/admin/", "/v1/dossiers/unlock")
_KEY_OPTIONAL = ("/v1/chat", "/v1/search")


def _security(path: str) -> list[dict[str, Any]] | None:
    if path.startswith(_KEY_REQUIRED):
        return REQUIRED
    if path in _KEY_OPTIONAL:
        return OPTIONAL
    return None


def declare_security(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        schema.setdefault("components", {})["securitySchemes"] = SCHEMES
        for path, operations in schema.get("paths", {}).items():
            security = _security(path)
            for operation in operations.values():
                if security is not None and isinstance(operation, dict):
                    operation["security"] = security
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
