"""The one place where errors become HTTP responses: project exceptions map to statuses with a
bilingual message; nothing unexpected ever reaches the client as a stack trace."""

from __future__ import annotations

import logging

from assistant.core.errors import (
    ConfigError,
    ConnectorError,
    LoadError,
    ModelError,
    InvalidInputError,
    NotFoundError,
    StoreError,
    TrolyError,
)
from ui.jobs import IndexBusyError
from ui.limits import InputTooLargeError
from ui.uploads import UploadError

log = logging.getLogger(__name__)

INTERNAL = "Hệ thống đang gặp sự cố, vui lòng thử lại sau / internal error, please retry later"


class ApiError(TrolyError):
    """An error raised by the API layer itself, with its HTTP status and error code."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = headers or {}


# Checked in order: the first matching type wins. `public` = the exception text may be shown.
_MAPPING: list[tuple[type[TrolyError], int, str, bool]] = [
    (NotFoundError, 404, "not_found", True),
    (InvalidInputError, 422, "invalid_request", True),
    (IndexBusyError, 409, "busy", True),
    (LoadError, 422, "unreadable_document", False),
    (ConnectorError, 503, "onestop_unavailable", False),
    (StoreError, 503, "index_unavailable", False),
    (ModelError, 503, "model_unavailable", False),
    (ConfigError, 500, "misconfigured", False),
    (TrolyError, 500, "error", False),
]


def error_body(code: str, message: str) -> dict[str, str]:
    return {"error": code, "message": message}


def map_error(exc: BaseException) -> tuple[int, str, str, dict[str, str]]:
    """(status, code, message, headers) for any exception."""
    if isinstance(exc, ApiError):
        return exc.status, exc.code, str(exc), exc.headers
    if isinstance(exc, InputTooLargeError):
        return 413, exc.code, str(exc), {}
    if isinstance(exc, UploadError):
        code = {413: "too_large", 415: "unsupported_type", 404: "not_found",
                409: "in_use"}.get(exc.status, "invalid_upload")
        return exc.status, code, str(exc), {}
    for kind, status, code, public in _MAPPING:
        if isinstance(exc, kind):
            if public:
                return status, code, str(exc), {}
            log.error("request failed: %s", exc, exc_info=exc)
            message = (
                "Dịch vụ tạm thời không sẵn sàng, vui lòng thử lại sau / "
                "service temporarily unavailable" if status == 503 else INTERNAL
            )
            return status, code, message, {}
    log.error("unexpected error", exc_info=exc)
    return 500, "internal", INTERNAL, {}
