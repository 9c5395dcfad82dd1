"""The abuse suite against the real troly (real model, demo corpus, bounded loaders, a dead-slow
LLM) on loopback: what an attacker would send, and what a normal citizen sees meanwhile.
Each case is listed in docs/SECURITY.md with its threat and what troly promises."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from evals.bench_abuse import zip_bomb

pytestmark = [pytest.mark.abuse, pytest.mark.slow]
HTTP = httpx.Client(timeout=120.0)  # a busy shared machine answers slowly: wait, never flake
QUESTION = "Lệ phí cấp chứng chỉ hành nghề dược là bao nhiêu?"
CODE = "000.00.21.H21-251120-0001"


def _rss_mb() -> float:
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _state(url: str, admin: dict) -> tuple[list, list[str]]:
    docs = sorted((d["doc_id"], d["version"]) for d in
                  HTTP.get(url + "/v1/admin/documents", headers=admin).json())
    answer = HTTP.post(url + "/v1/chat", json={"message": QUESTION}).json()
    return docs, [c["unit_id"] for c in answer["citations"]]


def _timed_chat(url: str, message: str) -> float:
    started = time.perf_counter()
    res = HTTP.post(url + "/v1/chat", json={"message": message})
    assert res.status_code == 200
    return time.perf_counter() - started


def test_abuse_zip_bomb_upload_is_bounded_and_loses_nothing(live_troly):
    url, admin = live_troly.url, live_troly.admin
    before = _state(url, admin)
    rss_before = _rss_mb()
    bomb = zip_bomb(315)  # the bomb: ~2 MB on disk expanding to 315 MB
    assert len(bomb) < 2 << 20
    started = time.perf_counter()
    job = HTTP.post(url + "/v1/admin/documents", headers=admin,
                    files={"files": ("bien-ban.docx", bomb, "application/octet-stream")}).json()
    while job["status"] in ("queued", "running"):
        assert time.perf_counter() - started < 60
        time.sleep(0.2)
        job = HTTP.get(f"{url}/v1/admin/jobs/{job['job_id']}", headers=admin).json()
    assert job["status"] == "done"
    (failed,) = job["summary"]["failed"]
    assert failed["file"] == "bien-ban.docx" and "MB" in failed["reason"]
    assert _rss_mb() - rss_before < 150  # the server never inflated the bomb
    assert _state(url, admin) == before  # nothing indexed or answered differently
    uploads = {u["name"]: u for u in HTTP.get(url + "/v1/admin/uploads", headers=admin).json()}
    assert uploads["bien-ban.docx"]["indexed"] is False  # visible, and deletable:
    assert HTTP.delete(url + "/v1/admin/uploads/bien-ban.docx", headers=admin).status_code == 200


def test_abuse_oversize_on_every_channel(live_troly):
    url = live_troly.url
    limit = live_troly.services.settings.max_question_chars
    assert HTTP.post(url + "/v1/chat", json={"message": "a" * (limit + 1)}).status_code == 413
    sse = HTTP.post(url + "/v1/chat", json={"message": "a" * (limit + 1), "stream": True})
    assert sse.status_code == 413
    body = b'{"message": "' + b"a" * (20 << 20) + b'"}'
    assert HTTP.post(url + "/v1/chat", content=body,
                     headers={"Content-Type": "application/json"}).status_code == 413
    assert HTTP.post(url + "/ui/gradio_api/call/answer_2", content=body,
                     headers={"Content-Type": "application/json"}).status_code == 413
    started = time.perf_counter()  # 400,000 characters through the Gradio citizen chat
    event = HTTP.post(url + "/ui/gradio_api/call/answer_2",
                      json={"data": ["x" * 400_000, []]}).json()["event_id"]
    stream = HTTP.get(f"{url}/ui/gradio_api/call/answer_2/{event}").text
    assert time.perf_counter() - started < 10
    events = [json.loads(line[6:]) for line in stream.splitlines() if line.startswith("data: ")]
    assert any(f"tối đa {limit}" in json.dumps(e, ensure_ascii=False) for e in events), events


def test_abuse_slow_llm_does_not_stall_greetings_and_shows_degraded(live_troly):
    url = live_troly.url
    live_troly.services.llm_gate.cooldown_s = 0.0  # keep asking the dead LLM: worst case
    asked = len(live_troly.llm.state.requests)
    with ThreadPoolExecutor(5) as pool:
        slow = [pool.submit(_timed_chat, url, QUESTION) for _ in range(4)]
        time.sleep(0.3)
        greeting = pool.submit(_timed_chat, url, "xin chào").result()
        slow_times = [f.result() for f in slow]
    assert greeting < 3.0, greeting  # 39 s before the fix
    assert max(slow_times) < 10.0, slow_times  # each falls back after the first-token timeout
    assert len(live_troly.llm.state.requests) > asked  # the LLM was really asked
    ready = HTTP.get(url + "/readyz").json()
    assert ready["status"] == "ready"
    assert ready["llm"]["state"] == "degraded"
    assert set(ready["llm"]["fallbacks"]) & {"timeout", "busy"}
    assert "troly_llm_degraded 1.0" in HTTP.get(url + "/metrics").text


def test_abuse_personal_data_never_stored(live_troly):
    url = live_troly.url
    forms = ["0814.507.890", "0814-507-890", "0814 507 890", "+84 814 507 890", "0814507890."]
    ids = []
    for form in forms:
        body = HTTP.post(url + "/v1/chat", json={
            "message": f"tra cứu hồ sơ {CODE} số điện thoại {form}"}).json()
        ids.append(body["conversation_id"])
    storage = live_troly.services.storage
    for conversation_id in ids:
        (exchange,) = storage.conversation(conversation_id)
        assert CODE in exchange.question
        assert "507" not in exchange.question and "890" not in exchange.question


def test_abuse_dossier_guessing_locks_the_guesser_with_retry_after(live_troly):
    url = live_troly.url
    demo = live_troly.services.reference.demo[0]
    code, factor = demo.code, demo.phone_last4
    wrong = "0000" if factor != "0000" else "1111"
    outcomes = [HTTP.post(url + "/v1/dossiers/lookup", json={"code": code, "verification": wrong},
                          headers={"X-Forwarded-For": "6.6.6.6"}).status_code for _ in range(6)]
    assert outcomes[-1] == 429  # the guesser is locked out, with a Retry-After
    locked = HTTP.post(url + "/v1/dossiers/lookup", json={"code": code, "verification": wrong})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_abuse_normal_citizen_latency_during_concurrent_abuse(live_troly):
    url, admin = live_troly.url, live_troly.admin
    live_troly.services.llm_gate.cooldown_s = 0.0
    stop = threading.Event()
    limit = live_troly.services.settings.max_question_chars

    def oversize() -> None:
        while not stop.is_set():
            HTTP.post(url + "/v1/chat", json={"message": "a" * (limit * 200)})

    def slow_llm() -> None:
        while not stop.is_set():
            HTTP.post(url + "/v1/chat", json={"message": QUESTION})

    def bomb() -> None:
        payload = zip_bomb(315)
        while not stop.is_set():
            HTTP.post(url + "/v1/admin/documents", headers=admin,
                      files={"files": ("bom.docx", payload, "application/octet-stream")})
            time.sleep(0.5)

    threads = [threading.Thread(target=f, daemon=True) for f in (oversize, slow_llm, slow_llm,
                                                                  bomb)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.0)
        latencies = sorted(_timed_chat(url, "thủ tục cấp giấy phép hoạt động khám bệnh")
                           for _ in range(8))
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    # generous on a machine shared by six jobs: the benchmark (evals/bench_abuse.py) measures
    assert latencies[len(latencies) // 2] < 3.0, latencies
    assert HTTP.get(url + "/healthz").status_code == 200
