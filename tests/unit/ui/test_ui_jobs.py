from __future__ import annotations

import pytest
from fakes.ui import FakeChatService, FakeDocumentAdmin

from assistant.core.errors import LoadError, NotFoundError
from ui.jobs import IndexBusyError, JobManager


@pytest.fixture
def jobs():
    manager = JobManager(FakeDocumentAdmin(FakeChatService()))
    yield manager
    manager.close()


def test_jobs_run_in_background_and_report_progress(jobs, tmp_path):
    files = []
    for i in range(3):
        f = tmp_path / f"{i}.txt"
        f.write_text(f"văn bản {i}", encoding="utf-8")
        files.append(f)
    job = jobs.submit_index(files, "public")
    assert job.status in ("queued", "running") and job.files == ["0.txt", "1.txt", "2.txt"]
    done = jobs.wait(job.job_id, 10)
    assert done.status == "done" and (done.done, done.total) == (3, 3)
    assert done.summary["added"] == 3


def test_jobs_failure_is_reported_not_raised(jobs):
    def boom(*_a, **_k):
        raise LoadError("x.pdf", "tệp hỏng")

    jobs.admin.index_paths = boom
    job = jobs.wait(jobs.submit_index([], "public").job_id, 10)
    assert job.status == "failed" and "tệp hỏng" in job.error
    jobs.admin.index_paths = lambda *a, **k: 1 / 0
    job = jobs.wait(jobs.submit_index([], "public").job_id, 10)
    assert job.status == "failed" and "division" not in job.error
    assert jobs.wait(jobs.submit_reindex().job_id, 10).status == "done"  # worker still alive


def test_jobs_unknown_id(jobs):
    with pytest.raises(NotFoundError):
        jobs.get("nope")


def test_jobs_exclusive_times_out_while_a_job_writes(jobs, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    jobs.admin.hold.clear()
    job = jobs.submit_index([f], "public")
    try:
        for _ in range(100):
            if jobs.get(job.job_id).status == "running":
                break
            import time

            time.sleep(0.01)
        with pytest.raises(IndexBusyError), jobs.exclusive(timeout=0.05):
            pass
    finally:
        jobs.admin.hold.set()
    assert jobs.wait(job.job_id, 10).status == "done"


def test_jobs_keeps_bounded_history(tmp_path):
    manager = JobManager(FakeDocumentAdmin(FakeChatService()), keep=3)
    ids = [manager.submit_index([], "public").job_id for _ in range(5)]
    manager.wait(ids[-1], 10)
    assert [j.job_id for j in manager.list()] == ids[:1:-1]
    manager.close()


def test_chat_runner_gate_bounds_concurrent_answers(services):
    import threading
    import time

    from ui.chat_flow import ChatRunner
    from ui.metrics import Metrics

    active, peak = [0], [0]
    lock = threading.Lock()
    real_ask = services.chat.ask

    def slow_ask(*args, **kwargs):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return real_ask(*args, **kwargs)

    services.chat.ask = slow_ask
    runner = ChatRunner(services.chat, services.storage, Metrics(lambda: 0), max_concurrent=2)
    threads = [threading.Thread(target=runner.ask, args=("lệ phí", "citizen", None, "x"))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak[0] == 2
