from __future__ import annotations

import json

from assistant.core.errors import ConnectorError, NotFoundError, StoreError


def test_chat_answers_with_citations_and_saves_conversation(client, services):
    res = client.post("/v1/chat", json={"message": "giấy phép hành nghề có thời hạn bao lâu"})
    assert res.status_code == 200
    body = res.json()
    assert body["citations"][0]["unit_id"] == "luatkcb#13"
    assert body["citations"][0]["n"] == 1
    assert body["citations"][0]["source"] == "a.md"  # no server path
    assert body["route"] == "regulation"
    saved = services.storage.conversation(body["conversation_id"])
    assert saved[0].answer_id == body["answer_id"]


def test_chat_keeps_given_conversation_id(client, services):
    res = client.post("/v1/chat", json={"message": "lệ phí", "conversation_id": "abc-1"})
    assert res.json()["conversation_id"] == "abc-1"
    assert services.chat.calls[-1]["conversation_id"] == "abc-1"


def test_chat_citizen_is_anonymous_with_client_ip(client, services):
    client.post("/v1/chat", json={"message": "lệ phí"})
    call = services.chat.calls[-1]
    assert call["audience"] == "citizen"
    assert call["client_id"] == "testclient"


def test_chat_citizen_never_sees_staff_documents(client):
    body = client.post("/v1/chat", json={"message": "quy trình nội bộ mật khẩu hệ thống"}).json()
    assert all(c["unit_id"] != "noibo#2" for c in body["citations"])
    assert "mật khẩu" not in body["answer"]


def test_chat_staff_audience_requires_staff_key(client):
    payload = {"message": "quy trình nội bộ", "audience": "staff"}
    assert client.post("/v1/chat", json=payload).status_code == 401
    wrong = client.post("/v1/chat", json=payload, headers={"X-API-Key": "sai"})
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "unauthorized"


def test_chat_staff_sees_staff_documents(client, staff):
    payload = {"message": "quy trình nội bộ mật khẩu", "audience": "staff"}
    body = client.post("/v1/chat", json=payload, headers=staff).json()
    assert body["citations"][0]["unit_id"] == "noibo#2"


def test_chat_staff_key_as_bearer_token(client):
    from support.keys import STAFF_KEY

    res = client.post("/v1/chat", json={"message": "quy trình", "audience": "staff"},
                      headers={"Authorization": f"Bearer {STAFF_KEY}"})
    assert res.status_code == 200


def test_chat_rejects_empty_and_huge_messages(client):
    assert client.post("/v1/chat", json={"message": ""}).status_code == 422
    res = client.post("/v1/chat", json={"message": "a" * 2001})
    assert res.status_code == 413  # the input policy, the same on every channel
    assert res.json()["error"] == "too_long"
    assert "a" * 100 not in res.text  # the input is not echoed back


def test_chat_rejects_bad_conversation_id(client):
    res = client.post("/v1/chat", json={"message": "x", "conversation_id": "../../etc"})
    assert res.status_code == 422


def _events(text: str) -> list[tuple[str, dict]]:
    out = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        out.append((lines["event"], json.loads(lines["data"])))
    return out


def test_chat_sse_streams_deltas_then_answer(client):
    res = client.post("/v1/chat", json={"message": "lệ phí cấp giấy phép", "stream": True})
    assert res.headers["content-type"].startswith("text/event-stream")
    events = _events(res.text)
    kinds = [e for e, _ in events]
    assert kinds[-1] == "answer" and set(kinds[:-1]) == {"delta"}
    streamed = "".join(d["text"] for e, d in events if e == "delta")
    assert streamed.strip() == events[-1][1]["answer"]
    assert events[-1][1]["citations"][0]["unit_id"] == "1.013614"


def test_chat_sse_by_accept_header(client):
    res = client.post("/v1/chat", json={"message": "lệ phí"},
                      headers={"Accept": "text/event-stream"})
    assert _events(res.text)[-1][0] == "answer"


def test_chat_sse_error_event_has_no_trace(client, services):
    services.chat.fail_with = RuntimeError("secret internal detail")
    res = client.post("/v1/chat", json={"message": "lệ phí", "stream": True})
    event, data = _events(res.text)[-1]
    assert event == "error" and data["error"] == "internal"
    assert "secret" not in res.text and "Traceback" not in res.text


def test_chat_error_mapping_statuses(services):
    from fastapi.testclient import TestClient

    from ui.api import create_app

    client = TestClient(create_app(services, with_ui=False), raise_server_exceptions=False)
    cases = [(ConnectorError("iGate down"), 503), (StoreError("locked"), 503),
             (NotFoundError("không có / none"), 404), (ValueError("boom"), 500)]
    for exc, status in cases:
        services.chat.fail_with = exc
        res = client.post("/v1/chat", json={"message": "x"})
        assert res.status_code == status, exc
        assert set(res.json()) == {"error", "message"}
        assert "Traceback" not in res.text and "boom" not in res.text


def test_chat_rate_limits_anonymous_citizens(services):
    from fastapi.testclient import TestClient

    from ui.api import create_app

    services.settings.citizen_rate_per_minute = 1
    services.settings.citizen_rate_burst = 2
    with TestClient(create_app(services, with_ui=False)) as c:
        codes = [c.post("/v1/chat", json={"message": "lệ phí"}).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        limited = c.post("/v1/chat", json={"message": "lệ phí"})
        assert int(limited.headers["retry-after"]) >= 1
        from support.keys import STAFF_KEY

        staff = c.post("/v1/chat", json={"message": "lệ phí"}, headers={"X-API-Key": STAFF_KEY})
        assert staff.status_code == 200  # staff are not rate-limited


def test_search_filters_staff_chunks_for_citizens(client, services, staff):
    res = client.get("/v1/search", params={"q": "quy trình nội bộ hồ sơ"})
    assert all(h["unit_id"] != "noibo#2" for h in res.json()["hits"])
    staff_res = client.get("/v1/search", params={"q": "quy trình nội bộ", "audience": "staff"},
                           headers=staff)
    assert staff_res.json()["hits"][0]["unit_id"] == "noibo#2"


def test_search_staff_needs_key_and_limit_is_bounded(client):
    assert client.get("/v1/search", params={"q": "x", "audience": "staff"}).status_code == 401
    assert client.get("/v1/search", params={"q": "x", "limit": 500}).status_code == 422
