"""One input policy for every channel (API, SSE, Gradio, widget): question length, request body
size and upload file count, checked before any work is done.

`InputPolicy.check_question` is called by the ChatRunner, which every chat channel goes
through; `BodySizeLimit` is an ASGI middleware that refuses an oversize body while it is still
arriving (a declared Content-Length or a chunked stream), before anything parses it."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.exceptions import HTTPException

from assistant.core.errors import TrolyError
from assistant.core.settings import Settings

_MULTIPART_OVERHEAD = 1 << 20
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class InputTooLargeError(TrolyError):
    """A question, a body or an upload is over the input policy (HTTP 413)."""

    def __init__(self, message: str, code: str = "too_large") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class InputPolicy:
    max_question_chars: int = 2000
    max_json_body_bytes: int = 512 << 10
    max_upload_bytes: int = 25 << 20
    max_upload_files: int = 20

    @classmethod
    def from_settings(cls, settings: Settings) -> "InputPolicy":
        return cls(
            max_question_chars=settings.max_question_chars,
            max_json_body_bytes=settings.max_json_body_kb << 10,
            max_upload_bytes=settings.max_upload_mb << 20,
            max_upload_files=settings.max_upload_files,
        )

    @property
    def max_multipart_bytes(self) -> int:
        return self.max_upload_bytes * self.max_upload_files + _MULTIPART_OVERHEAD

    def check_question(self, message: str) -> None:
        if len(message) > self.max_question_chars:
            raise InputTooLargeError(
                f"Câu hỏi (message) dài {len(message)} ký tự, tối đa {self.max_question_chars} / "
                f"the question (message) is longer than {self.max_question_chars} characters",
                code="too_long",
            )

    def check_file_count(self, count: int) -> None:
        if count > self.max_upload_files:
            raise InputTooLargeError(
                f"Tối đa {self.max_upload_files} tệp mỗi lần tải lên (files) / at most "
                f"{self.max_upload_files} files per upload"
            )

    def body_limit(self, content_type: str) -> int:
        """Multipart bodies (uploads) get the upload budget; everything else the JSON cap."""
        if content_type.startswith("multipart/form-data"):
            return self.max_multipart_bytes
        return self.max_json_body_bytes


def _too_large_body(limit: int) -> bytes:
    return json.dumps({
        "error": "too_large",
        "message": f"Dữ liệu gửi lên quá lớn (tối đa {limit // 1024} KiB) / request body too "
                   f"large (at most {limit // 1024} KiB)",
    }, ensure_ascii=False).encode("utf-8")


class BodySizeLimit:
    """ASGI middleware: 413 for a body over `policy.body_limit(content type)`, whether declared
    in Content-Length or streamed in chunks (then the app sees a disconnect)."""

    def __init__(self, app: Callable, policy: InputPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        limit = self.policy.body_limit(headers.get("content-type", "").lower())
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        received = 0
        started = False

        async def counted() -> dict:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                raise _BodyTooLarge(limit)
            return message

        async def tracked(message: dict) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    @staticmethod
    async def _refuse(send: Send, limit: int) -> None:
        body = _too_large_body(limit)
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]})
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(HTTPException):
    """Raised from `receive` mid-body: an HTTPException, so FastAPI and Gradio answer 413
    instead of wrapping it as a parse error."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, json.loads(_too_large_body(limit))["message"])
