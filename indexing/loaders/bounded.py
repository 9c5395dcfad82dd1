"""Loaders run in a bounded worker process (a zip bomb or a pathological PDF must not take the
server down with it).

`BoundedLoader(budget)(path, fmt, audience)` returns the file's Documents, read by
`load_path` in a child process that has:
- a decompressed-size budget: the members of a zip-based file (DOCX, XLSX) are summed from the
  zip directory before anything is read (`zipfile` never inflates a member past its declared
  size, so the directory is a real bound);
- a time budget per document: past it, the child is killed and the file fails;
- a memory cap (RLIMIT_AS), so a loader that balloons gets MemoryError (or dies) in the child;
- cancellation (`interrupt()`), and `close()` for a graceful shutdown.
A failure of any kind is a `LoadError` for that file; the next file gets a fresh child."""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import threading
import time
import zipfile
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from assistant.core.domain import Document
from assistant.core.errors import LoadError
from indexing.loaders.base import load_error

log = logging.getLogger(__name__)

DEFAULT_TARGET = "indexing.loaders.bounded:load_documents"
_POLL_S = 0.1


@dataclass(frozen=True)
class LoadBudget:
    timeout_s: float = 180.0
    memory_mb: int = 1536  # 0 = no cap
    max_unpacked_mb: int = 200
    max_text_chars: int = 20_000_000  # about 10,000 pages of text

    @classmethod
    def from_settings(cls, settings: Any) -> "LoadBudget":
        return cls(timeout_s=settings.loader_timeout_s, memory_mb=settings.loader_memory_mb,
                   max_unpacked_mb=settings.loader_max_unpacked_mb)


def check_zip_budget(path: Path | str, max_unpacked_bytes: int) -> None:
    """LoadError when a zip-based file would expand past `max_unpacked_bytes` (summed over its
    members, read from the zip directory only). Other files pass."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        return
    limit_mb = max_unpacked_bytes >> 20
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(max(0, info.file_size) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise load_error(path, "tệp nén hỏng", f"corrupt zip container ({exc})") from exc
    if total > max_unpacked_bytes:
        raise load_error(
            path,
            f"giải nén ra {total >> 20} MB, vượt giới hạn {limit_mb} MB (nghi tệp bom nén)",
            f"expands to {total >> 20} MB, over the {limit_mb} MB budget (zip bomb?)",
        )


def load_documents(path: str, fmt: str | None, audience: str | None) -> list[Document]:
    """The default work of the child: the registry's loader for the file."""
    from indexing.loaders import load_path

    return list(load_path(path, fmt=fmt, audience=audience))


def _limit_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    import resource

    cap = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _text_size(documents: list[Any]) -> int:
    return sum(len(s.text) for d in documents for s in getattr(d, "sections", []))


def _serve(conn: Connection, target: str, budget: LoadBudget) -> None:
    """Child process: answer ("ok", documents) or ("error", reason) for each (path, fmt,
    audience) received, until None."""
    module, _, name = target.partition(":")
    work = getattr(importlib.import_module(module), name)
    _limit_memory(budget.memory_mb)
    while (request := conn.recv()) is not None:
        path, fmt, audience = request
        try:
            documents = work(path, fmt, audience)
            if _text_size(documents) > budget.max_text_chars:
                reply = ("error", f"văn bản dài quá {budget.max_text_chars:,} ký tự / text longer "
                                  f"than {budget.max_text_chars:,} characters")
            else:
                reply = ("ok", documents)
        except LoadError as exc:
            reply = ("error", exc.reason)
        except MemoryError:
            reply = ("error", _memory_reason(budget))
        except Exception as exc:  # noqa: BLE001 - reported as this file's failure
            reply = ("error", f"lỗi khi đọc tệp / failed to read file: {type(exc).__name__}: {exc}")
        documents = None
        conn.send(reply)


def _memory_reason(budget: LoadBudget) -> str:
    return (f"vượt giới hạn bộ nhớ {budget.memory_mb} MB khi đọc / over the {budget.memory_mb} "
            "MB memory cap while reading")


class BoundedLoader:
    """Callable `(path, fmt=None, audience=None) -> list[Document]`; one document at a time,
    in one reusable child process. Thread-safe; `interrupt()` and `close()` may be called from
    any thread."""

    def __init__(self, budget: LoadBudget | None = None, *, target: str = DEFAULT_TARGET) -> None:
        self.budget = budget or LoadBudget()
        self.target = target
        self._context = multiprocessing.get_context("spawn")  # never fork a threaded server
        self._lock = threading.Lock()
        self._interrupted = threading.Event()
        self._process: Any = None
        self._conn: Connection | None = None

    def __call__(self, path: Path | str, fmt: str | None = None,
                 audience: str | None = None) -> list[Document]:
        path = Path(path)
        check_zip_budget(path, self.budget.max_unpacked_mb << 20)
        with self._lock:
            self._interrupted.clear()
            conn = self._ensure_worker()
            conn.send((str(path), fmt, audience))
            kind, payload = self._await(conn, path)
        if kind == "ok":
            return payload
        raise LoadError(str(path), payload)

    def interrupt(self) -> None:
        """Abandon the document being read now (its load fails as cancelled)."""
        self._interrupted.set()

    def worker_alive(self) -> bool:
        return self._process is not None and self._process.is_alive()

    def close(self) -> None:
        """Stop the child: asked nicely when idle, killed when busy."""
        self._interrupted.set()
        with self._lock:
            if self._conn is not None and self.worker_alive():
                try:
                    self._conn.send(None)
                except OSError:
                    pass
                self._process.join(2)
            self._kill()

    # --- internals -----------------------------------------------------------------------
    def _ensure_worker(self) -> Connection:
        if self.worker_alive() and self._conn is not None:
            return self._conn
        self._kill()
        parent, child = self._context.Pipe()
        self._process = self._context.Process(
            target=_serve, args=(child, self.target, self.budget), name="troly-loader",
            daemon=True,
        )
        self._process.start()
        child.close()
        self._conn = parent
        return parent

    def _await(self, conn: Connection, path: Path) -> tuple[str, Any]:
        deadline = time.monotonic() + self.budget.timeout_s
        while not conn.poll(_POLL_S):
            if self._interrupted.is_set():
                self._kill()
                return "error", "đã hủy đọc tệp / reading cancelled"
            if time.monotonic() > deadline:
                self._kill()
                log.warning("loader over its time budget", extra={"path": str(path)})
                seconds = f"{self.budget.timeout_s:g}"
                return "error", (f"đọc quá {seconds} s, đã dừng / took longer than {seconds} s, "
                                 "stopped")
            if not self.worker_alive():
                break
        try:
            return conn.recv()
        except (EOFError, OSError):
            code = self._process.exitcode if self._process is not None else None
            self._kill()
            log.warning("loader process died", extra={"path": str(path), "exitcode": code})
            return "error", (f"tiến trình đọc tệp dừng đột ngột (mã {code}); có thể "
                             f"{_memory_reason(self.budget)}")

    def _kill(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        self._process = None
        self._conn = None
