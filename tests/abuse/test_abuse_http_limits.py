"""Oversize bodies and forged client addresses over real HTTP (uvicorn on loopback)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.abuse


def _served(services, **kw):
    from ui.api import create_app
    from support.live_server import LiveServer

    return LiveServer(create_app(services, with_ui=False), **kw)


@pytest.fixture
def services(data_dir):
    from fakes.ui import make_chunk, make_services

    svc = make_services(data_dir, [make_chunk("luat", "luat#1", "lệ phí cấp giấy phép")],
                        citizen_rate_per_minute=0)
    yield svc
    svc.close()


def test_forwarded_for_ignored_without_trusted_proxies(services):
    with _served(services) as server:
        httpx.post(server.url + "/v1/chat", json={"message": "lệ phí"},
                   headers={"X-Forwarded-For": "9.9.9.9"}, timeout=30)
    assert services.chat.calls[-1]["client_id"] == "127.0.0.1"


def test_forwarded_for_believed_from_a_trusted_proxy(services):
    with _served(services, trusted_proxies=["127.0.0.1"]) as server:
        httpx.post(server.url + "/v1/chat", json={"message": "lệ phí"},
                   headers={"X-Forwarded-For": "9.9.9.9"}, timeout=30)
    assert services.chat.calls[-1]["client_id"] == "9.9.9.9"


def test_twenty_megabyte_json_refused_before_reading(services):
    body = b'{"message": "' + b"a" * (20 << 20) + b'"}'
    with _served(services) as server:
        res = httpx.post(server.url + "/v1/chat", content=body, timeout=60,
                         headers={"Content-Type": "application/json"})
        assert res.status_code == 413
        assert httpx.get(server.url + "/healthz", timeout=10).status_code == 200
    assert services.chat.calls == []


def test_server_stop_cancels_a_running_job_promptly(services, tmp_path):
    """Graceful shutdown (what SIGTERM triggers): the running job's document is abandoned, the
    job shows as cancelled, and the server is down within seconds."""
    import time

    from ui.api import create_app
    from support.live_server import LiveServer

    services.admin.hold.clear()  # the "document" never finishes loading by itself
    services.admin.interrupt = services.admin.hold.set
    app = create_app(services, with_ui=False)
    server = LiveServer(app)
    (tmp_path / "a.txt").write_text("văn bản", encoding="utf-8")
    jobs = app.state.ctx.jobs
    running = jobs.submit_index([tmp_path / "a.txt"], "public")
    for _ in range(200):
        if jobs.get(running.job_id).status == "running":
            break
        time.sleep(0.01)
    started = time.perf_counter()
    server.stop()
    assert time.perf_counter() - started < 8
    final = jobs.get(running.job_id)
    assert final.status == "cancelled" and "dừng" in final.error
