"""Indexing jobs can be cancelled (queued or running: the document being read is abandoned),
from the API too, and a shutdown finishes nothing half-way: it cancels and returns promptly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fakes.ui import FakeChatService, FakeDocumentAdmin

from ui.jobs import JobManager


def _files(tmp_path: Path, n: int) -> list[Path]:
    out = []
    for i in range(n):
        f = tmp_path / f"{i}.txt"
        f.write_text(f"văn bản {i}", encoding="utf-8")
        out.append(f)
    return out


def _until(jobs: JobManager, job_id: str, status: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while jobs.get(job_id).status != status:
        assert time.monotonic() < deadline, jobs.get(job_id)
        time.sleep(0.01)


@pytest.fixture
def held():
    admin = FakeDocumentAdmin(FakeChatService())
    admin.hold.clear()  # every file waits until released (or interrupted)
    admin.interrupted = 0

    def interrupt() -> None:
        admin.interrupted += 1
        admin.hold.set()

    admin.interrupt = interrupt
    manager = JobManager(admin)
    yield manager
    admin.hold.set()
    manager.close()


def test_cancel_queued_job_never_runs(held, tmp_path):
    first = held.submit_index(_files(tmp_path, 1), "public")
    second = held.submit_index(_files(tmp_path, 2)[1:], "public")
    _until(held, first.job_id, "running")
    cancelled = held.cancel(second.job_id)
    assert cancelled.status == "cancelled"
    held.admin.hold.set()
    assert held.wait(first.job_id, 5).status == "done"
    time.sleep(0.2)
    assert held.get(second.job_id).status == "cancelled"
    assert len(held.admin.calls) == 1


def test_cancel_running_job_abandons_current_document(held, tmp_path):
    job = held.submit_index(_files(tmp_path, 3), "public")
    _until(held, job.job_id, "running")
    started = time.perf_counter()
    held.cancel(job.job_id)
    _until(held, job.job_id, "cancelled", timeout=2)
    assert time.perf_counter() - started < 2
    assert held.admin.interrupted == 1
    final = held.get(job.job_id)
    assert final.finished_at and "hủy" in final.error
    assert len(held.admin.records) <= 1  # the files after the current one were never read


def test_cancel_finished_job_changes_nothing(tmp_path):
    jobs = JobManager(FakeDocumentAdmin(FakeChatService()))
    try:
        job = jobs.wait(jobs.submit_index(_files(tmp_path, 1), "public").job_id, 5)
        assert jobs.cancel(job.job_id).status == "done"
    finally:
        jobs.close()


def test_close_cancels_running_and_queued_jobs_promptly(tmp_path):
    admin = FakeDocumentAdmin(FakeChatService())
    admin.hold.clear()
    admin.interrupt = admin.hold.set
    jobs = JobManager(admin)
    running = jobs.submit_index(_files(tmp_path, 2), "public")
    queued = jobs.submit_reindex()
    _until(jobs, running.job_id, "running")
    started = time.perf_counter()
    jobs.close()
    assert time.perf_counter() - started < 3
    assert jobs.get(running.job_id).status == "cancelled"
    assert jobs.get(queued.job_id).status == "cancelled"
    assert "dừng" in jobs.get(queued.job_id).error


def test_api_cancel_job(client, services, admin, tmp_path):
    services.admin.hold.clear()
    services.admin.interrupt = services.admin.hold.set
    res = client.post("/v1/admin/documents", headers=admin,
                      files=[("files", ("a.txt", b"van ban a", "text/plain")),
                             ("files", ("b.txt", b"van ban b", "text/plain"))])
    job_id = res.json()["job_id"]
    assert client.delete(f"/v1/admin/jobs/{job_id}").status_code == 401
    assert client.delete("/v1/admin/jobs/khong-co", headers=admin).status_code == 404
    cancelled = client.delete(f"/v1/admin/jobs/{job_id}", headers=admin)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] in ("cancelled", "running")
    for _ in range(200):
        if client.get(f"/v1/admin/jobs/{job_id}", headers=admin).json()["status"] == "cancelled":
            break
        time.sleep(0.01)
    assert client.get(f"/v1/admin/jobs/{job_id}", headers=admin).json()["status"] == "cancelled"
