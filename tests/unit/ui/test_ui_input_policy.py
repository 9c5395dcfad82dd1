"""One input policy for every channel: question length, body size and file count are refused
before any work (the chat service is never called)."""

from __future__ import annotations

import json

import pytest
from fakes.ui import make_chunk, make_services
from fastapi.testclient import TestClient

from ui import gradio_chat
from ui.api import create_app
from ui.context import AppContext
from ui.keys import hash_key

LIMIT = 300


@pytest.fixture
def small(data_dir, admin):
    chunks = [make_chunk("tthc1", "1.013614", "Thủ tục cấp giấy phép hành nghề: lệ phí 300.000")]
    svc = make_services(data_dir, chunks, admin_key_hashes=[hash_key(admin["X-API-Key"])],
                        citizen_rate_per_minute=0, max_question_chars=LIMIT,
                        max_json_body_kb=16, max_upload_files=2, max_upload_mb=1)
    yield svc
    svc.close()


@pytest.fixture
def small_client(small):
    with TestClient(create_app(small, with_ui=False)) as test_client:
        yield test_client


def test_api_chat_refuses_question_over_policy_limit(small_client, small):
    res = small_client.post("/v1/chat", json={"message": "lệ phí " * 60})  # 420 chars
    assert res.status_code == 413
    assert res.json()["error"] == "too_long"
    assert "message" in res.json()["message"]
    assert small.chat.calls == []


def test_sse_chat_refuses_question_over_policy_limit(small_client, small):
    res = small_client.post("/v1/chat", json={"message": "a" * (LIMIT + 1), "stream": True})
    assert res.status_code == 413
    assert small.chat.calls == []


def test_api_chat_accepts_question_at_the_limit(small_client, small):
    res = small_client.post("/v1/chat", json={"message": "lệ phí ".ljust(LIMIT, "x")})
    assert res.status_code == 200
    assert len(small.chat.calls) == 1


def test_gradio_citizen_chat_refuses_huge_message_without_work(small):
    ctx = AppContext.build(small)
    try:
        updates = list(gradio_chat.citizen_chat(ctx, "x" * 400_000, [], None, "9.9.9.9"))
    finally:
        ctx.close()
    history, _, _ = updates[-1]
    assert str(LIMIT) in history[-1]["content"]
    assert small.chat.calls == []
    assert small.storage.conversation("none") == []


def test_json_body_over_cap_refused_before_parsing(small_client, small):
    body = json.dumps({"message": "lệ phí", "pad": "x" * 40_000}).encode()
    res = small_client.post("/v1/chat", content=body,
                            headers={"Content-Type": "application/json"})
    assert res.status_code == 413
    assert res.json()["error"] == "too_large"
    assert small.chat.calls == []


def test_chunked_json_body_over_cap_refused(small_client, small):
    def chunks():
        yield b'{"message": "l\\u1ec7 ph\\u00ed", "pad": "'
        for _ in range(40):
            yield b"x" * 1024
        yield b'"}'

    res = small_client.post("/v1/dossiers/lookup", content=chunks(),
                            headers={"Content-Type": "application/json"})
    assert res.status_code == 413


def test_upload_file_count_follows_policy(small_client, small, admin):
    files = [("files", (f"a{i}.txt", b"van ban so %d" % i, "text/plain")) for i in range(3)]
    res = small_client.post("/v1/admin/documents", files=files, headers=admin)
    assert res.status_code == 413
    assert not (small.settings.data_dir / "uploads").exists() or not list(
        (small.settings.data_dir / "uploads").glob("a*.txt"))
