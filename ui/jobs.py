"""Background indexing jobs: one worker thread runs them in order (the index has one writer)
while chat keeps answering from the current index."""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from assistant.domain import IndexSummary, ProgressCallback
from assistant.errors import NotFoundError, TrolyError
from assistant.interfaces import DocumentAdmin

log = logging.getLogger(__name__)

JobWork = Callable[[ProgressCallback], IndexSummary]


class IndexBusyError(TrolyError):
    """Another indexing job holds the index for longer than the caller wants to wait."""


@dataclass
class Job:
    job_id: str
    kind: str  # "upload" | "reindex"
    files: list[str]
    status: str = "queued"  # queued | running | done | failed
    done: int = 0
    total: int = 0
    message: str = ""
    summary: dict | None = None
    error: str = ""
    created_at: str = field(default_factory=lambda: _now())
    finished_at: str = ""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


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


class JobManager:
    """Queues indexing work for one lazily started daemon thread. `write_lock` is held while a
    job runs; other index writers (document delete) take it too."""

    def __init__(self, admin: DocumentAdmin, *, keep: int = 200) -> None:
        self.admin = admin
        self.write_lock = threading.Lock()
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[tuple[str, JobWork] | None] = queue.Queue()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._keep = keep

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

    def get(self, job_id: str) -> Job:
        with self._guard:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFoundError(f"Không có tác vụ {job_id} / no job {job_id}")
            return replace(job, files=list(job.files))

    def list(self) -> list[Job]:
        with self._guard:
            return [replace(j, files=list(j.files)) for j in reversed(self._jobs.values())]

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        deadline = time.monotonic() + timeout
        while (job := self.get(job_id)).status in ("queued", "running"):
            if time.monotonic() > deadline:
                break
            time.sleep(0.05)
        return job

    @contextmanager
    def exclusive(self, timeout: float = 30.0) -> Iterator[None]:
        """Hold the index writer lock (for writes outside jobs, such as a delete)."""
        if not self.write_lock.acquire(timeout=timeout):
            raise IndexBusyError("Đang lập chỉ mục, vui lòng thử lại sau / indexing in progress")
        try:
            yield
        finally:
            self.write_lock.release()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
            self._thread = None

    def _submit(self, kind: str, files: list[str], work: JobWork) -> Job:
        job = Job(job_id=uuid.uuid4().hex, kind=kind, files=files)
        with self._guard:
            self._jobs[job.job_id] = job
            while len(self._jobs) > self._keep:
                del self._jobs[next(iter(self._jobs))]
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="troly-jobs", daemon=True)
                self._thread.start()
        self._queue.put((job.job_id, work))
        return self.get(job.job_id)

    def _update(self, job_id: str, **changes: object) -> None:
        with self._guard:
            if job_id in self._jobs:
                for key, value in changes.items():
                    setattr(self._jobs[job_id], key, value)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            job_id, work = item
            self._update(job_id, status="running")

            def progress(done: int, total: int, message: str, _id: str = job_id) -> None:
                # done < 0: a message inside the current file (embedding progress)
                counts = {"done": done, "total": total} if done >= 0 else {}
                self._update(_id, message=message, **counts)

            try:
                with self.write_lock:
                    summary = work(progress)
            except TrolyError as exc:
                self._update(job_id, status="failed", error=str(exc), finished_at=_now())
            except Exception:  # noqa: BLE001 - a job must never kill the worker thread
                log.exception("indexing job failed", extra={"job_id": job_id})
                self._update(
                    job_id, status="failed", error="Lỗi nội bộ / internal error", finished_at=_now()
                )
            else:
                self._update(
                    job_id, status="done", summary=summary_dict(summary), finished_at=_now()
                )
