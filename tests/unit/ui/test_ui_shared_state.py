"""State shared by troly processes through the database (SQLite and a real PostgreSQL):
counters, indexing jobs, the index lock; two app instances over one PostgreSQL database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from fakes.ui import FakeChatService, FakeDocumentAdmin, make_services
from fastapi.testclient import TestClient

from connectors.ratelimit import FailureLock, SlidingWindowLimiter
from ui.api import create_app
from ui.database import open_engine
from ui.jobs import INTERRUPTED, IndexBusyError, JobManager
from ui.keys import hash_key
from ui.ratelimit import TokenBucketLimiter
from ui.shared_state import SqlCounterStore, SqlJobStore, index_lock
from fakes.clock import FakeClock

PROJECT_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def engines(database_url):
    """Two engines on one database: what two troly processes have."""
    opened = [open_engine(database_url), open_engine(database_url)]
    yield opened
    for engine in opened:
        engine.dispose()


def test_sliding_window_counts_hits_of_every_process(engines):
    clock = FakeClock(1_000_000.0)
    a, b = (SlidingWindowLimiter(3, 60, clock=clock, store=SqlCounterStore(e), scope="w")
            for e in engines)
    assert [a.hit("1.2.3.4"), b.hit("1.2.3.4"), a.hit("1.2.3.4")] == [True, True, True]
    assert not b.hit("1.2.3.4") and not a.allowed("1.2.3.4")
    assert b.hit("5.6.7.8")  # keys are independent
    clock.now += 60
    assert b.allowed("1.2.3.4") and a.hit("1.2.3.4")


def test_failure_lock_is_shared_and_expires(engines):
    clock = FakeClock(1_000_000.0)
    a, b = (FailureLock(3, 600, clock=clock, store=SqlCounterStore(e)) for e in engines)
    assert not a.failure("CODE") and not b.failure("CODE")
    assert a.failure("CODE")
    assert b.locked("CODE") and a.locked("CODE")
    clock.now += 600
    assert not b.locked("CODE")
    assert not a.failure("CODE")  # the count started again


def test_token_bucket_is_shared(engines):
    clock = FakeClock(1_000_000.0)
    a, b = (TokenBucketLimiter(60, 2, clock=clock, store=SqlCounterStore(e)) for e in engines)
    assert a.acquire("ip") == 0.0 and b.acquire("ip") == 0.0
    assert 0.9 < a.acquire("ip") <= 1.0
    clock.now += 1.0
    assert b.acquire("ip") == 0.0


def test_concurrent_hits_from_two_processes_never_exceed_the_limit(engines):
    limiters = [SlidingWindowLimiter(10, 600, clock=time.time, store=SqlCounterStore(e),
                                     scope="race") for e in engines]
    allowed: list[bool] = []
    lock = threading.Lock()

    def hammer(limiter: SlidingWindowLimiter) -> None:
        for _ in range(8):
            result = limiter.hit("same-client")
            with lock:
                allowed.append(result)

    threads = [threading.Thread(target=hammer, args=(limiters[i % 2],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 32 and allowed.count(True) == 10


def _manager(engine, admin=None) -> JobManager:
    return JobManager(admin or FakeDocumentAdmin(FakeChatService()), store=SqlJobStore(engine),
                      index_lock=index_lock(engine))


def _wait_status(manager: JobManager, job_id: str, status: str) -> None:
    for _ in range(200):
        if manager.get(job_id).status == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never became {status}: {manager.get(job_id)}")


def test_job_started_on_one_process_is_visible_on_the_other_and_blocks_its_reindex(
        engines, tmp_path):
    first, second = _manager(engines[0]), _manager(engines[1])
    doc = tmp_path / "a.txt"
    doc.write_text("văn bản", encoding="utf-8")
    first.admin.hold.clear()
    try:
        job = first.submit_index([doc], "public")
        _wait_status(second, job.job_id, "running")
        assert job.job_id in [j.job_id for j in second.list()]
        with pytest.raises(IndexBusyError, match="another troly server is indexing"):
            second.submit_reindex()
        with pytest.raises(IndexBusyError):  # the database lock, not only the job list
            with second.exclusive(timeout=0.2):
                pass
    finally:
        first.admin.hold.set()
    assert second.wait(job.job_id, 10).status == "done"
    assert second.get(job.job_id).summary["added"] == 1
    assert second.wait(second.submit_reindex().job_id, 10).status == "done"
    first.close()
    second.close()


_KILLED_SERVER = textwrap.dedent("""
    import sys, threading
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from fakes.ui import FakeChatService, FakeDocumentAdmin
    from ui.database import open_engine
    from ui.jobs import JobManager
    from ui.shared_state import SqlJobStore, index_lock

    engine = open_engine({url!r})
    admin = FakeDocumentAdmin(FakeChatService())
    admin.hold.clear()
    manager = JobManager(admin, store=SqlJobStore(engine), index_lock=index_lock(engine))
    job = manager.submit_index([Path({doc!r})], "public")
    print(job.job_id, flush=True)
    threading.Event().wait()
""")


def test_job_of_a_killed_server_shows_failed_with_the_reason_after_restart(
        database_url, tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("văn bản", encoding="utf-8")
    script = _KILLED_SERVER.format(tests=str(PROJECT_ROOT / "tests"), url=database_url,
                                   doc=str(doc))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    server = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              text=True, env=env)
    try:
        job_id = server.stdout.readline().strip()
        engine = open_engine(database_url)
        watcher = _manager(engine)
        _wait_status(watcher, job_id, "running")
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(10)
    restarted = _manager(engine)
    job = restarted.get(job_id)
    assert job.status == "failed" and job.error == INTERRUPTED
    assert restarted.wait(restarted.submit_reindex().job_id, 10).status == "done"
    watcher.close()
    restarted.close()
    engine.dispose()


def _poll_job(client: TestClient, job_id: str, header: dict, status: str) -> bool:
    for _ in range(200):
        if client.get(f"/v1/admin/jobs/{job_id}", headers=header).json()["status"] == status:
            return True
        time.sleep(0.05)
    return False


def test_two_app_instances_over_one_postgresql_share_limits_and_jobs(postgres_server, tmp_path):
    url = postgres_server.new_database()
    admin_key = "khoa-quan-tri-chung"
    instances = []
    for name in ("a", "b"):
        data = tmp_path / name
        data.mkdir()
        instances.append(make_services(
            data, database_url=url, admin_key_hashes=[hash_key(admin_key)],
            citizen_rate_per_minute=1, citizen_rate_burst=2))
    header = {"X-API-Key": admin_key}
    with TestClient(create_app(instances[0], with_ui=False)) as a, \
            TestClient(create_app(instances[1], with_ui=False)) as b:
        # one citizen, two servers behind a load balancer: the burst of 2 is shared
        codes = [c.post("/v1/chat", json={"message": "lệ phí"}).status_code for c in (a, b, a)]
        assert codes == [200, 200, 429]
        assert b.post("/v1/chat", json={"message": "lệ phí"}).status_code == 429

        instances[0].admin.hold.clear()
        try:
            job = a.post("/v1/admin/documents", headers=header, data={"audience": "public"},
                         files=[("files", ("a.md", "Điều 1. Văn bản".encode(), "text/markdown"))]
                         ).json()
            assert _poll_job(b, job["job_id"], header, "running")
            refused = b.post("/v1/admin/reindex", headers=header)
            assert refused.status_code == 409
        finally:
            instances[0].admin.hold.set()
        assert _poll_job(b, job["job_id"], header, "done")
    for services in instances:
        services.close()


def test_embedded_index_refuses_a_second_troly_on_the_same_data_directory(tmp_path):
    from fakes.embedder import FakeEmbedder

    from assistant.core.errors import StoreError
    from assistant.app.index import build_index
    from assistant.core.settings import Settings

    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    first = build_index(settings, embedder=FakeEmbedder())
    try:
        with pytest.raises(StoreError, match="in use by another troly process"):
            build_index(settings, embedder=FakeEmbedder())
    finally:
        first.close()
    build_index(settings, embedder=FakeEmbedder()).close()  # free again once stopped
