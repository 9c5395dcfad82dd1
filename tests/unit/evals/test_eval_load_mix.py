import asyncio

import httpx

from evals.bench_load import run
from evals.traffic import Mix


def _transport(seen: list):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers["X-Forwarded-For"]))
        if request.url.path == "/v1/dossiers/lookup":
            return httpx.Response(503, json={})
        return httpx.Response(200, json={"answer": "ok"})

    return httpx.MockTransport(handler)


def _mix() -> Mix:
    return Mix(["Điều kiện hành nghề?"], ["Thủ tục cấp phép?"], [("000.00.21.H21-261119-0001", "2345")])


def test_load_run_counts_errors_by_kind_and_reports_chat_latency():
    seen: list = []
    report = asyncio.run(run("http://t", _mix(), users=3, seconds=0.3, transport=_transport(seen)))
    assert report["requests"] == len(seen) > 0
    lookups = sum(1 for path, _ in seen if path == "/v1/dossiers/lookup")
    assert report["errors"] == lookups and report["error_kinds"].get("dossier_lookup: http 503") == lookups
    assert report["chat"]["n"] == len(seen) - lookups
    assert len({ip for _, ip in seen}) >= 3  # one address per simulated user (and session)


def test_think_time_spaces_out_each_users_messages():
    busy: list = []
    thinking: list = []
    asyncio.run(run("http://t", _mix(), users=2, seconds=0.5, transport=_transport(busy)))
    report = asyncio.run(run("http://t", _mix(), users=2, seconds=0.5, think_s=0.2,
                             transport=_transport(thinking)))
    assert report["think_s"] == 0.2
    # each user: one message, then at most one per 0.1 s (think 0.5–1.5 × 0.2 s) in 0.5 s
    assert 2 <= len(thinking) <= 2 * 6 < len(busy)
