"""A small persistent key-value cache in SQLite, keyed by text hash, so an unchanged chunk is
never re-embedded or re-segmented. Safe to share between threads of one process."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

_BATCH = 500


class TextCache:
    """Namespaced bytes cache: `namespace` separates e.g. one embedding model from another."""

    def __init__(self, path: Path | str, namespace: str) -> None:
        self.path = str(path)
        self.namespace = namespace
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # a cache: no fsync per commit in WAL
            conn.execute(
                "CREATE TABLE IF NOT EXISTS cache (ns TEXT, key TEXT, value BLOB, "
                "PRIMARY KEY (ns, key))"
            )
            self._conn = conn
        return self._conn

    def get_many(self, keys: Iterable[str]) -> dict[str, bytes]:
        keys = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        with self._lock:
            db = self._db()
            for start in range(0, len(keys), _BATCH):
                batch = keys[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows = db.execute(
                    f"SELECT key, value FROM cache WHERE ns = ? AND key IN ({marks})",
                    [self.namespace, *batch],
                )
                found.update(rows)
        return found

    def put_many(self, items: Mapping[str, bytes]) -> None:
        if not items:
            return
        with self._lock:
            db = self._db()
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO cache (ns, key, value) VALUES (?, ?, ?)",
                    [(self.namespace, k, v) for k, v in items.items()],
                )

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
