"""Server-sent events for streamed chat answers.

Events: `delta` {"text": piece} for each piece, then `answer` (the AnswerPublic JSON), or
`error` {"error", "message"} if the answer fails midway."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

from ui.error_map import map_error
from ui.api.schemas import AnswerPublic
from ui.chat_flow import ChatTurn


def sse_event(event: str, data: dict) -> str:
    payload = json.dumps(data, ensure_ascii=False)
    return f"event: {event}\ndata: {payload}\n\n"


def answer_events(pieces: Callable[[], Iterator[str | ChatTurn]]) -> Iterator[str]:
    try:
        for piece in pieces():
            if isinstance(piece, ChatTurn):
                yield sse_event("answer", AnswerPublic.of(piece).model_dump())
            else:
                yield sse_event("delta", {"text": piece})
    except Exception as exc:  # noqa: BLE001 - headers are sent: report in-band, no trace
        _status, code, message, _headers = map_error(exc)
        yield sse_event("error", {"error": code, "message": message})
