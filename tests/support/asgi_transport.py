"""A sync httpx transport that serves requests from an ASGI app in this process (through
Starlette's TestClient): an httpx-based client runs unchanged, with no socket."""

from __future__ import annotations

import httpx
from starlette.testclient import TestClient


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, app: object) -> None:
        self._client = TestClient(app)  # type: ignore[arg-type]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self._client.request(request.method, str(request.url),
                                      headers=dict(request.headers), content=request.read())
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    def close(self) -> None:
        """Called by every httpx client that used this transport: keep serving the others."""

    def shutdown(self) -> None:
        self._client.close()
