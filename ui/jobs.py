"""Background indexing jobs: one worker thread runs them in order (the index has one writer)
while chat keeps answering from the current index.

Jobs and their progress live in a `JobStore`: the application database when troly serves
(ui.shared_state.SqlJobStore; every process sees every job, and a job whose process died shows
as failed with the reason after a restart), or memory. Writing the index takes an `IndexLock`
shared by all processes, so only one of them indexes at a time; another process's submit is
refused while a job is active there."""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path

from assistant.core.domain import IndexSummary, ProgressCallback
from assistant.core.errors import NotFoundError, TrolyError
from assistant.core.interfaces import DocumentAdmin
from assistant.core.timestamps import now_iso
from ui.shared_state import IndexLock, JobStore, ThreadIndexLock

log = logging.getLogger(__name__)

JobWork = Callable[[ProgressCallback], IndexSummary]
HEARTBEAT_S = 5.0
STALE_S = 30.0  # an active job whose owner has not said it is alive for this long is dead
PROGRESS_EVERY_S = 0.5
LOCK_WAIT_S = 600.0  # a job waits this long for another process's index write to finish
INTERRUPTED = ("Tác vụ bị gián đoạn vì máy chủ troly chạy nó đã dừng / interrupted: the troly "
               "server running this job stopped")
CANCELLED = "Đã hủy theo yêu cầu / cancelled on request"
SHUTDOWN = "Đã hủy vì máy chủ dừng / cancelled: the server is stopping"


class JobCancelled(BaseException):  # noqa: N818 - BaseException: no `except Exception` stops it
    """Raised inside a running job (from its progress callback) once it is cancelled."""


class IndexBusyError(TrolyError):
    """Another indexing job holds the index for longer than the caller wants to wait."""


@dataclass
class Job:
    job_id: str
    kind: str  # "upload" | "reindex"
    files: list[str]
    status: str = "queued"  # queued | running | done | failed | cancelled
    done: int = 0
    total: int = 0
    message: str = ""
    summary: dict | None = None
    error: str = ""
    created_at: str = field(default_factory=lambda: now_iso())
    finished_at: str = ""


def summary_dict(summary: IndexSummary) -> dict:
    return {
        "added": summary.added,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "failed": [{"file": Path(f.path).name, "reason": f.reason} for f in summary.failed],
        "warnings": [{"file": Path(f.path).name, "warning": f.reason} for f in summary.warnings],
        "chunks": summary.chunks,
        "seconds": round(summary.seconds, 3),
    }


class MemoryJobStore:
    """Jobs of this process only (tests and tools without a database)."""

    def __init__(self, keep: int = 200) -> None:
        self.keep = keep
        self._jobs: dict[str, dict] = {}
        self._lock = threading.Lock()

    def add(self, job: Job, owner: str, now: float) -> None:
        with self._lock:
            self._jobs[job.job_id] = {f.name: getattr(job, f.name) for f in fields(job)}
            for job_id in [j for j, v in self._jobs.items() if v["status"] not in _ACTIVE]:
                if len(self._jobs) <= self.keep:
                    break
                del self._jobs[job_id]

    def update(self, job_id: str, **changes: object) -> None:
        with self._lock:
            if job_id in self._jobs:
                self._jobs[job_id].update(changes)

    def get(self, job_id: str) -> dict | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return {**job, "files": list(job["files"])} if job else None

    def list(self, limit: int) -> list[dict]:
        with self._lock:
            return [{**j, "files": list(j["files"])} for j in reversed(self._jobs.values())][:limit]

    def heartbeat(self, owner: str, now: float) -> None:
        pass

    def active(self) -> list[dict]:
        return []  # no other process can see these jobs

    def fail(self, job_ids: object, error: str, at: str) -> None:
        pass


_ACTIVE = ("queued", "running")
_JOB_FIELDS = [f.name for f in fields(Job)]


def _job(values: dict) -> Job:
    return Job(**{k: values[k] for k in _JOB_FIELDS})


class JobManager:
    """Queues indexing work for one lazily started daemon thread. `write_lock` (this process)
    and `index_lock` (every process) are held while a job runs; other index writers (document
    delete) take them through `exclusive()`."""

    def __init__(
        self, admin: DocumentAdmin, *, keep: int = 200, store: JobStore | None = None,
        index_lock: IndexLock | None = None,
    ) -> None:
        self.admin = admin
        self.keep = keep
        self.store: JobStore = store or MemoryJobStore(keep)
        self.index_lock: IndexLock = index_lock or ThreadIndexLock()
        self.owner = f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.write_lock = threading.Lock()
        self._queue: queue.Queue[tuple[str, JobWork] | None] = queue.Queue()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._progress_at: dict[str, float] = {}
        self._cancelled: dict[str, str] = {}  # running job id -> reason
        self.recover(startup=True)

    # --- submitting ----------------------------------------------------------------------
    def submit_index(self, paths: list[Path], audience: str | None, kind: str = "upload") -> Job:
        work: JobWork = lambda progress: self.admin.index_paths(  # noqa: E731
            paths, audience=audience, progress=progress
        )
        return self._submit(kind, [p.name for p in paths], work)

    def submit_reindex(self) -> Job:
        """Index every known source again, keeping each document's audience."""
        return self._submit("reindex", [], self._reindex)

    def _reindex(self, progress: ProgressCallback) -> IndexSummary:
        groups: dict[str, list[Path]] = {}
        for record in self.admin.list_documents():
            path = Path(record.source.split("#", 1)[0])
            if path.exists() and path not in groups.setdefault(record.audience, []):
                groups[record.audience].append(path)
        total = IndexSummary()
        for audience, paths in sorted(groups.items()):
            part = self.admin.index_paths(paths, audience=audience, progress=progress)
            total.added += part.added
            total.updated += part.updated
            total.unchanged += part.unchanged
            total.failed.extend(part.failed)
            total.warnings.extend(part.warnings)
            total.chunks += part.chunks
            total.seconds += part.seconds
        return total

    def _submit(self, kind: str, files: list[str], work: JobWork) -> Job:
        elsewhere = [j for j in self.recover() if j["owner"] != self.owner]
        if elsewhere:
            raise IndexBusyError(
                f"Một máy chủ troly khác đang lập chỉ mục (tác vụ {elsewhere[0]['job_id']}), "
                "vui lòng thử lại khi tác vụ đó xong / another troly server is indexing (job "
                f"{elsewhere[0]['job_id']}); retry when it has finished"
            )
        job = Job(job_id=uuid.uuid4().hex, kind=kind, files=files)
        self.store.add(job, self.owner, time.time())
        with self._guard:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="troly-jobs", daemon=True)
                self._thread.start()
                threading.Thread(target=self._beat, name="troly-jobs-heartbeat",
                                 daemon=True).start()
        self._queue.put((job.job_id, work))
        return self.get(job.job_id)

    # --- reading -------------------------------------------------------------------------
    def get(self, job_id: str) -> Job:
        values = self.store.get(job_id)
        if values is None:
            raise NotFoundError(f"Không có tác vụ {job_id} / no job {job_id}")
        if values["status"] in _ACTIVE and values.get("owner", self.owner) != self.owner:
            self.recover()
            values = self.store.get(job_id) or values
        return _job(values)

    def list(self, limit: int | None = None) -> list[Job]:
        """The newest jobs first (at most `keep`)."""
        self.recover()
        return [_job(v) for v in self.store.list(min(limit or self.keep, self.keep))]

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        deadline = time.monotonic() + timeout
        while (job := self.get(job_id)).status in _ACTIVE:
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return job

    def recover(self, startup: bool = False) -> list[dict]:
        """Mark failed the active jobs of processes that died; returns the live active jobs.
        Dead: no heartbeat for STALE_S, or (at start-up) running while nobody holds the index
        lock (a running job's process holds it until the job's final state is written)."""
        active = [j for j in self.store.active() if j["owner"] != self.owner]
        if not active:
            return []
        now = time.time()
        dead = {j["job_id"] for j in active if j["heartbeat_at"] < now - STALE_S}
        running = [j["job_id"] for j in active if j["status"] == "running"]
        if startup and running and self.index_lock.acquire(0):
            try:
                dead.update(running)
            finally:
                self.index_lock.release()
        if dead:
            log.warning("jobs of a stopped troly process marked failed",
                        extra={"jobs": sorted(dead)})
            self.store.fail(dead, INTERRUPTED, now_iso())
        return [j for j in active if j["job_id"] not in dead]

    # --- the index writer lock -----------------------------------------------------------
    @contextmanager
    def exclusive(self, timeout: float = 30.0) -> Iterator[None]:
        """Hold the index writer locks (for writes outside jobs, such as a delete)."""
        if not self.write_lock.acquire(timeout=timeout):
            raise IndexBusyError("Đang lập chỉ mục, vui lòng thử lại sau / indexing in progress")
        try:
            if not self.index_lock.acquire(timeout):
                raise IndexBusyError(
                    "Một máy chủ troly khác đang ghi chỉ mục, vui lòng thử lại sau / another "
                    "troly server is writing the index, retry later")
            try:
                yield
            finally:
                self.index_lock.release()
        finally:
            self.write_lock.release()

    # --- cancelling ----------------------------------------------------------------------
    def cancel(self, job_id: str, reason: str = CANCELLED) -> Job:
        """Cancel a job: a queued one never runs; a running one abandons the document being
        read (`admin.interrupt()`) and stops at its next step, leaving the index as it was
        before that document. A finished job is returned unchanged. A job running in another
        troly process is refused (IndexBusyError): cancel it on that server."""
        values = self.store.get(job_id)
        if values is None:
            raise NotFoundError(f"Không có tác vụ {job_id} / no job {job_id}")
        if values["status"] == "queued":
            self.store.update(job_id, status="cancelled", error=reason, finished_at=now_iso())
        elif values["status"] == "running":
            if values.get("owner", self.owner) != self.owner:
                raise IndexBusyError(
                    "Tác vụ đang chạy trên máy chủ troly khác, hãy hủy ở máy đó / the job runs "
                    "on another troly server: cancel it there")
            with self._guard:
                self._cancelled[job_id] = reason
            interrupt = getattr(self.admin, "interrupt", None)
            if interrupt is not None:
                interrupt()
        return self.get(job_id)

    def close(self, timeout: float = 5.0) -> None:
        """Graceful shutdown: this process's queued jobs are cancelled, the running one is
        cancelled (its current document abandoned cleanly), and the worker is waited for."""
        for job in self.list():
            if job.status in _ACTIVE:
                try:
                    self.cancel(job.job_id, SHUTDOWN)
                except IndexBusyError:  # another process's job: not ours to stop
                    continue
        self._stop.set()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=timeout)
            self._thread = None

    # --- the worker ----------------------------------------------------------------------
    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                self.store.heartbeat(self.owner, time.time())
            except Exception:  # noqa: BLE001 - a database blip must not kill the heartbeat
                log.warning("job heartbeat failed", exc_info=True)

    def _progress(self, job_id: str, done: int, total: int, message: str) -> None:
        # done < 0: a message inside the current file (embedding progress); written at most
        # every PROGRESS_EVERY_S (the last counts are written with the final state)
        counts = {"done": done, "total": total} if done >= 0 else {}
        now = time.monotonic()
        if now - self._progress_at.get(job_id, 0.0) >= PROGRESS_EVERY_S or (
                counts and done == total):
            self._progress_at[job_id] = now
            self.store.update(job_id, message=message[:500], **counts)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            job_id, work = item
            if (self.store.get(job_id) or {}).get("status") != "queued":  # cancelled meanwhile
                continue
            try:
                with self.exclusive(LOCK_WAIT_S):
                    self.store.update(job_id, status="running", heartbeat_at=time.time())
                    # the final state is written before the locks are released (see recover)
                    self._finish(job_id, work)
            except IndexBusyError as exc:
                self.store.update(job_id, status="failed", error=str(exc), finished_at=now_iso())
            except Exception:  # noqa: BLE001 - the worker thread must survive
                log.exception("indexing job bookkeeping failed", extra={"job_id": job_id})
            finally:
                self._progress_at.pop(job_id, None)

    def _finish(self, job_id: str, work: JobWork) -> None:
        def progress(done: int, total: int, message: str) -> None:
            if job_id in self._cancelled:
                raise JobCancelled
            self._progress(job_id, done, total, message)

        try:
            summary = work(progress)
        except JobCancelled:
            self._finish_cancelled(job_id)
        except TrolyError as exc:
            self.store.update(job_id, status="failed", error=str(exc), finished_at=now_iso())
        except Exception:  # noqa: BLE001 - a job must never kill the worker thread
            log.exception("indexing job failed", extra={"job_id": job_id})
            self.store.update(
                job_id, status="failed", error="Lỗi nội bộ / internal error", finished_at=now_iso()
            )
        else:
            if job_id in self._cancelled:  # cancelled at its very last step
                self._finish_cancelled(job_id)
                return
            self.store.update(
                job_id, status="done", summary=summary_dict(summary), finished_at=now_iso()
            )

    def _finish_cancelled(self, job_id: str) -> None:
        """Called with the index locks held: drop the abandoned document's half-written chunks
        now (the next run would too), then record the cancellation."""
        with self._guard:
            reason = self._cancelled.pop(job_id, CANCELLED)
        recover = getattr(self.admin, "recover", None)
        if recover is not None:
            try:
                recover()
            except Exception:  # noqa: BLE001 - the next run recovers too
                log.exception("recovery after a cancelled job failed")
        self.store.update(job_id, status="cancelled", error=reason, finished_at=now_iso())
