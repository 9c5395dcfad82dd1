"""The reference one-stop-shop service: a FastAPI app with a Keycloak-style token endpoint and
an iGate-style dossier search, plus fault-injection hooks when `test_hooks` is on."""

from __future__ import annotations

import asyncio
import base64
import binascii

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from connectors.reference.db import ReferenceStore
from connectors.reference.faults import Fault, FaultBoard
from connectors.reference.serialize import dossier_json, page_json
from connectors.reference.tokens import TokenIssuer

MALFORMED = '{"content": [{"code": "000.00.21.H21-'


async def _apply(fault: Fault | None) -> Response | None:
    """Sleep for a slow fault; return the faulty response for the others (None = go on)."""
    if fault is None:
        return None
    if fault.kind == "slow":
        await asyncio.sleep(fault.delay_s)
        return None
    if fault.kind == "error500":
        return JSONResponse({"error": "internal_error"}, status_code=500)
    if fault.kind == "unauthorized":
        return JSONResponse({"error": "invalid_token"}, status_code=401)
    if fault.kind == "not_found":
        return JSONResponse({"error": "not_found"}, status_code=404)
    return Response(MALFORMED, media_type="application/json")


def _basic_credentials(header: str) -> tuple[str, str] | None:
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, secret = base64.b64decode(header[6:]).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, secret


def create_app(
    store: ReferenceStore, issuer: TokenIssuer, faults: FaultBoard, *, realm: str = "digo",
    test_hooks: bool = False,
) -> FastAPI:
    app = FastAPI(title="Reference one-stop-shop (iGate-style)", docs_url=None, redoc_url=None)

    @app.post("/auth/realms/{realm_name}/protocol/openid-connect/token")
    async def token(realm_name: str, request: Request) -> Response:
        if (faulty := await _apply(faults.take("token"))) is not None:
            return faulty
        if realm_name != realm:
            return JSONResponse({"error": "Realm does not exist"}, status_code=404)
        form = await request.form()
        creds = _basic_credentials(request.headers.get("authorization", "")) or (
            str(form.get("client_id", "")), str(form.get("client_secret", ""))
        )
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        if not issuer.check_client(*creds):
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        return JSONResponse({"access_token": issuer.issue(), "expires_in": issuer.ttl_s,
                             "token_type": "Bearer", "scope": "profile email"})

    @app.get("/pa/dossier-search/dvc")
    async def search(request: Request, code: str = "", size: int = 10) -> Response:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or not issuer.valid(auth[7:]):
            faults.note("search")
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        if (faulty := await _apply(faults.take("search"))) is not None:
            return faulty
        row = store.find(code) if code else None
        return JSONResponse(page_json([dossier_json(row)] if row else [], size))

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    if test_hooks:
        _add_test_hooks(app, issuer, faults)
    return app


def _add_test_hooks(app: FastAPI, issuer: TokenIssuer, faults: FaultBoard) -> None:
    @app.post("/__test__/faults")
    async def inject(fault: dict) -> dict[str, str]:
        try:
            faults.inject(str(fault.get("kind")), int(fault.get("count", 1)),
                          float(fault.get("delay_s", 0.0)), str(fault.get("target", "search")))
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        return {"status": "ok"}

    @app.delete("/__test__/faults")
    async def clear() -> dict[str, str]:
        faults.clear()
        return {"status": "ok"}

    @app.post("/__test__/revoke-tokens")
    async def revoke() -> dict[str, str]:
        issuer.revoke_all()
        return {"status": "ok"}

    @app.get("/__test__/stats")
    async def stats() -> dict[str, int]:
        return faults.stats()
