"""A tiny OpenAI-compatible chat-completions server for tests, run on loopback with uvicorn.

The requested model name picks the behaviour:
- "good": answers with the first sentence of context [1], cited "[1]" (supported);
- "bad-cite": cites a passage that does not exist ("[9]");
- "invented": cites [1] but states a fee that is not in the context;
- "not-found": says the context does not answer (KHÔNG_TÌM_THẤY);
- "slow": waits `app.state.slow_s` (1.5 s) before answering; "error": HTTP 500;
- "condense": returns a rewritten standalone question.
Both streaming (SSE) and non-streaming responses are served.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

CONDENSED = "Lệ phí thủ tục cấp mới giấy phép hành nghề khám bệnh, chữa bệnh là bao nhiêu?"


def _first_context_sentence(prompt: str) -> str:
    match = re.search(r"\[1\][^\n]*\n(.+)", prompt)
    body = re.sub(r"^\d+\.\s*", "", match.group(1) if match else "")
    return re.split(r"(?<=[.;])\s", body, maxsplit=1)[0].rstrip(".;")


def _reply(model: str, prompt: str) -> str:
    if model == "good":
        return f"Theo quy định, {_first_context_sentence(prompt)} [1]."
    if model == "bad-cite":
        return f"Theo quy định, {_first_context_sentence(prompt)} [9]."
    if model == "invented":
        return "Lệ phí cấp lại thẻ là 250.000 đồng theo biểu phí mới [1]."
    if model == "not-found":
        return "KHÔNG_TÌM_THẤY"
    if model == "condense":
        return CONDENSED
    return "ok [1]"


def _chunks(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def create_app() -> FastAPI:
    app = FastAPI()
    app.state.requests = []
    app.state.slow_s = 1.5

    @app.post("/v1/chat/completions")
    async def completions(request: Request):
        body = await request.json()
        app.state.requests.append(body)
        model = body.get("model", "good")
        if model == "error":
            return JSONResponse({"error": {"message": "boom", "type": "server_error"}}, status_code=500)
        if model == "slow":
            await asyncio.sleep(app.state.slow_s)
        prompt = (body.get("messages") or [{}])[-1].get("content") or ""  # the user turn
        text = _reply(model, prompt)
        created = int(time.time())
        if not body.get("stream"):
            return {
                "id": "chatcmpl-test", "object": "chat.completion", "created": created, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            }

        async def events():
            for piece in _chunks(text):
                chunk = {
                    "id": "chatcmpl-test", "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": {"role": "assistant", "content": piece}, "finish_reason": None}],
                }
                yield f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"
            done = {"id": "chatcmpl-test", "object": "chat.completion.chunk", "created": created, "model": model,
                    "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            yield f"data: {json.dumps(done)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return app


@contextmanager
def running_server() -> Iterator[tuple[str, FastAPI]]:
    """(base URL ending in /v1, app) of a server on a free loopback port, stopped afterwards."""
    app = create_app()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/v1", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
