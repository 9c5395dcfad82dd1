"""State every troly process shares through the application database (issue 15): rate-limit
and attempt counters (`SqlCounterStore`), indexing jobs and their progress (`SqlJobStore`), and
the lock that lets only one process write the index at a time (`index_lock`).

PostgreSQL: a row lock per counter, a session advisory lock for the index (released by the
server when the holder's connection dies, so a killed process never leaves it held). SQLite
(one machine): the database's own write lock per counter, an flock() file next to the database
for the index (released by the kernel when the process dies).
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any, Protocol, TypeVar

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from connectors.ratelimit import Change
from ui.storage_models import IndexJobRow, RateStateRow

log = logging.getLogger(__name__)
T = TypeVar("T")
# Arbitrary constant: the PostgreSQL advisory lock id of "writing the index".
INDEX_LOCK_ID = 0x7472_6F6C_7931
_CLEANUP_EVERY = 500


def counter_store(shared: bool, engine: Engine) -> SqlCounterStore | None:
    """The database store when counters are shared (settings.shared_counters), else None
    (each limiter counts in this process's memory)."""
    return SqlCounterStore(engine) if shared else None


class SqlCounterStore:
    """`connectors.ratelimit.CounterStore` in the `rate_state` table (callers must use a clock
    that every process shares: wall-clock time)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
        self._calls = 0

    def update(self, scope: str, key: str, change: Change[T], *, now: float, ttl_s: float) -> T:
        key = key[:256]
        where = (RateStateRow.scope == scope) & (RateStateRow.key == key)
        with self.engine.begin() as conn:
            # A write first: it creates the row if needed and takes the write lock (SQLite) /
            # waits for a concurrent creator (PostgreSQL); FOR UPDATE then locks the row.
            conn.execute(self._insert(RateStateRow).values(
                scope=scope, key=key, state={}, expires_at=now).on_conflict_do_nothing())
            state, expires = conn.execute(
                select(RateStateRow.state, RateStateRow.expires_at).where(where).with_for_update()
            ).one()
            new, result = change(dict(state) if expires > now else {})
            conn.execute(update(RateStateRow).where(where).values(
                state=new or {}, expires_at=now + ttl_s if new is not None else now))
        self._calls += 1
        if self._calls % _CLEANUP_EVERY == 0:
            self.cleanup(now)
        return result

    def cleanup(self, now: float) -> int:
        with self.engine.begin() as conn:
            return conn.execute(delete(RateStateRow).where(RateStateRow.expires_at <= now)).rowcount


# --- indexing jobs --------------------------------------------------------------------------
class JobStore(Protocol):
    """Where indexing jobs live (ui.jobs.Job fields plus the owning JobManager and its last
    heartbeat)."""

    def add(self, job: Any, owner: str, now: float) -> None: ...
    def update(self, job_id: str, **changes: Any) -> None: ...
    def get(self, job_id: str) -> dict[str, Any] | None: ...
    def list(self, limit: int) -> list[dict[str, Any]]: ...
    def heartbeat(self, owner: str, now: float) -> None: ...
    def active(self) -> list[dict[str, Any]]: ...
    def fail(self, job_ids: Iterable[str], error: str, at: str) -> None: ...


_ACTIVE = ("queued", "running")


class SqlJobStore:
    def __init__(self, engine: Engine, keep: int = 200) -> None:
        self.engine = engine
        self.keep = keep
        self._columns = [c.name for c in IndexJobRow.__table__.columns]

    def _row(self, row: Any) -> dict[str, Any]:
        values = dict(zip(self._columns, row, strict=True))
        values["job_id"] = values.pop("id")
        return values

    def _select(self) -> Any:
        return select(*IndexJobRow.__table__.columns)

    def add(self, job: Any, owner: str, now: float) -> None:
        values = {f.name: getattr(job, f.name) for f in fields(job)}
        values["id"] = values.pop("job_id")
        with self.engine.begin() as conn:
            conn.execute(IndexJobRow.__table__.insert().values(
                **values, owner=owner, heartbeat_at=now))
            self._trim(conn)

    def _trim(self, conn: Connection) -> None:
        keep = select(IndexJobRow.id).order_by(IndexJobRow.created_at.desc()).limit(self.keep)
        conn.execute(delete(IndexJobRow).where(
            IndexJobRow.id.not_in(keep.scalar_subquery()), IndexJobRow.status.not_in(_ACTIVE)))

    def update(self, job_id: str, **changes: Any) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(IndexJobRow).where(IndexJobRow.id == job_id).values(**changes))

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._select().where(IndexJobRow.id == job_id)).first()
        return self._row(row) if row is not None else None

    def list(self, limit: int) -> list[dict[str, Any]]:
        query = self._select().order_by(IndexJobRow.created_at.desc(), IndexJobRow.id).limit(limit)
        with self.engine.connect() as conn:
            return [self._row(r) for r in conn.execute(query)]

    def heartbeat(self, owner: str, now: float) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(IndexJobRow).where(
                IndexJobRow.owner == owner, IndexJobRow.status.in_(_ACTIVE)
            ).values(heartbeat_at=now))

    def active(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            query = self._select().where(IndexJobRow.status.in_(_ACTIVE))
            return [self._row(r) for r in conn.execute(query)]

    def fail(self, job_ids: Iterable[str], error: str, at: str) -> None:
        ids = list(job_ids)
        if ids:
            with self.engine.begin() as conn:
                conn.execute(update(IndexJobRow).where(
                    IndexJobRow.id.in_(ids), IndexJobRow.status.in_(_ACTIVE)
                ).values(status="failed", error=error, finished_at=at))


# --- the index writer lock ------------------------------------------------------------------
class IndexLock(Protocol):
    def acquire(self, timeout: float) -> bool: ...
    def release(self) -> None: ...


def _poll(try_once: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not try_once():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.1)
    return True


class AdvisoryIndexLock:
    """PostgreSQL session advisory lock, held on a connection of its own."""

    def __init__(self, engine: Engine, lock_id: int = INDEX_LOCK_ID) -> None:
        self.engine = engine
        self.lock_id = lock_id
        self._conn: Connection | None = None

    def acquire(self, timeout: float) -> bool:
        conn = self.engine.connect()

        def try_once() -> bool:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.lock_id})
            conn.commit()
            return bool(got.scalar())

        if _poll(try_once, timeout):
            self._conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is not None:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.lock_id})
            self._conn.commit()
            self._conn.close()
            self._conn = None


class FileIndexLock:
    """An flock() on a file (processes on one machine sharing a SQLite database)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self, timeout: float) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)

        def try_once() -> bool:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                return False

        if _poll(try_once, timeout):
            self._fd = fd
            return True
        os.close(fd)
        return False

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class ThreadIndexLock:
    """One process only (an in-memory database)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def acquire(self, timeout: float) -> bool:
        return self._lock.acquire(timeout=max(timeout, 0))

    def release(self) -> None:
        self._lock.release()


def index_lock(engine: Engine) -> IndexLock:
    """The cross-process index writer lock for the processes sharing this database."""
    if engine.dialect.name == "postgresql":
        return AdvisoryIndexLock(engine)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        return FileIndexLock(Path(database + ".index-lock"))
    return ThreadIndexLock()
