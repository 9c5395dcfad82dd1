"""The manifest: which documents are indexed, from which file, and which version is live.

It is the single source of truth for readers (`ManifestGate`) and for the indexer's
unchanged / updated decisions. One SQLite file in the data directory (`Manifest`, here), or
tables of the application database when several troly processes share a Qdrant server and
PostgreSQL (`indexing.manifest_sql`); every state change is one transaction, so a run killed
midway leaves the previous version active.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

from assistant.core.domain import DocumentRecord
from assistant.core.errors import NotFoundError
from assistant.core.interfaces import ManifestStore
from indexing.manifest_codec import COLUMNS as _COLUMNS
from indexing.manifest_codec import encode as _encode
from indexing.manifest_codec import to_record as _to_record
from indexing.manifest_codec import to_row as _to_row

# Validity-lifecycle columns (indexing/validity), with their default for existing rows.
_VALIDITY_COLUMNS = {
    "document_type": "''", "issuer": "''", "issue_date": "''", "effective_date": "''",
    "replaced_by": "''", "relations": "'[]'", "amended_by": "'[]'", "declared": "'{}'",
    "override": "'{}'", "status_origin": "''",
}  # fmt: skip

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    title TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    doc_hash TEXT NOT NULL,
    version INTEGER NOT NULL,
    indexed_at TEXT NOT NULL,
    chunks INTEGER NOT NULL,
    audience TEXT NOT NULL,
    validity TEXT NOT NULL,
    document_number TEXT NOT NULL,
    warnings TEXT NOT NULL,
    ocr_confidence REAL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents (source);
CREATE TABLE IF NOT EXISTS pending (
    doc_id TEXT PRIMARY KEY,
    doc_hash TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS status_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS index_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""
# Columns added after the first release, with their SQL types (older files are migrated).
_ADDED_COLUMNS = {"ocr_confidence": "REAL"} | {
    name: f"TEXT NOT NULL DEFAULT {default}" for name, default in _VALIDITY_COLUMNS.items()
}


class Manifest:
    """Thread-safe access to the manifest database."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
        self._conn.executescript(_SCHEMA)
        self._add_missing_columns()
        self._lock = threading.RLock()
        self._local_writes = 0

    def _add_missing_columns(self) -> None:
        """A manifest written before a column existed gets it (NULL for old rows)."""
        have = {row[1] for row in self._conn.execute("PRAGMA table_info(documents)")}
        with self._conn:
            for column, kind in _ADDED_COLUMNS.items():
                if column not in have:
                    self._conn.execute(f"ALTER TABLE documents ADD COLUMN {column} {kind}")

    # --- reads ---------------------------------------------------------------------------
    def _select(self, where: str = "", params: tuple = ()) -> list[DocumentRecord]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM documents {where} ORDER BY source, doc_id",
                params,
            ).fetchall()
        return [_to_record(row) for row in rows]

    def list(self) -> list[DocumentRecord]:
        return self._select()

    def get(self, doc_id: str) -> DocumentRecord:
        found = self._select("WHERE doc_id = ?", (doc_id,))
        if not found:
            raise NotFoundError(f"Không có tài liệu '{doc_id}' / no document '{doc_id}'")
        return found[0]

    def by_source(self, source: str) -> list[DocumentRecord]:
        return self._select("WHERE source = ?", (source,))

    def active_hashes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._conn.execute("SELECT doc_id, doc_hash FROM documents"))

    def pending(self) -> dict[str, str]:
        with self._lock:
            return dict(self._conn.execute("SELECT doc_id, doc_hash FROM pending"))

    def change_marker(self) -> tuple[int, int]:
        """Changes when this or another connection commits (cheap; used by ManifestGate)."""
        with self._lock:
            (data_version,) = self._conn.execute("PRAGMA data_version").fetchone()
            return data_version, self._local_writes

    # --- writes (each one transaction) ---------------------------------------------------
    def mark_pending(self, doc_id: str, doc_hash: str) -> None:
        self._write("INSERT OR REPLACE INTO pending (doc_id, doc_hash) VALUES (?, ?)", doc_id, doc_hash)

    def clear_pending(self, doc_id: str) -> None:
        self._write("DELETE FROM pending WHERE doc_id = ?", doc_id)

    def activate(self, record: DocumentRecord) -> None:
        """Make `record.doc_hash` the live version of the document and clear its pending mark."""
        row = _to_row(record)
        marks = ", ".join("?" * len(_COLUMNS))
        with self._lock, self._conn:
            self._conn.execute(
                f"INSERT OR REPLACE INTO documents ({', '.join(_COLUMNS)}) VALUES ({marks})",
                [row[c] for c in _COLUMNS],
            )
            self._conn.execute("DELETE FROM pending WHERE doc_id = ?", (record.doc_id,))
            self._local_writes += 1

    def update_statuses(self, statuses: dict[str, dict[str, object]]) -> None:
        """Write derived status fields (validity, replaced_by, effective_date, amended_by,
        status_origin) of several documents in one transaction."""
        with self._lock, self._conn:
            for doc_id, values in statuses.items():
                row = {k: _encode(k, v) for k, v in values.items()}
                sets = ", ".join(f"{k} = ?" for k in row)
                self._conn.execute(
                    f"UPDATE documents SET {sets} WHERE doc_id = ?", [*row.values(), doc_id]
                )
            self._local_writes += 1

    def set_override(self, doc_id: str, override: dict[str, str], actor: str, ts: str) -> None:
        """An admin's status edit, with its before/after in the `status_changes` log."""
        before = self.get(doc_id).override
        with self._lock, self._conn:
            self._conn.execute(
                "UPDATE documents SET override = ? WHERE doc_id = ?",
                (json.dumps(override, ensure_ascii=False), doc_id),
            )
            self._conn.execute(
                "INSERT INTO status_changes (ts, actor, doc_id, before, after) VALUES (?, ?, ?, ?, ?)",
                (ts, actor, doc_id, json.dumps(before, ensure_ascii=False),
                 json.dumps(override, ensure_ascii=False)),
            )  # fmt: skip
            self._local_writes += 1

    def status_changes(self, doc_id: str) -> list[dict[str, object]]:
        """The admin edits of one document, newest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT ts, actor, before, after FROM status_changes WHERE doc_id = ? "
                "ORDER BY id DESC", (doc_id,),
            ).fetchall()  # fmt: skip
        return [
            {"ts": ts, "actor": actor, "before": json.loads(b), "after": json.loads(a)}
            for ts, actor, b, a in rows
        ]

    def remove(self, doc_id: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._conn.execute("DELETE FROM pending WHERE doc_id = ?", (doc_id,))
            self._local_writes += 1

    def _write(self, sql: str, *params: object) -> None:
        with self._lock, self._conn:
            self._conn.execute(sql, params)
            self._local_writes += 1

    def meta(self, key: str) -> str | None:
        """A fact about the whole index (e.g. the dense model that embedded it)."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM index_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._write("INSERT OR REPLACE INTO index_meta (key, value) VALUES (?, ?)", key, value)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class ManifestGate:
    """`VersionGate` over the manifest, with the active map cached until the manifest changes."""

    def __init__(self, manifest: ManifestStore) -> None:
        self._manifest = manifest
        self._marker: tuple[int, int] | None = None
        self._active: dict[str, str] = {}
        self._lock = threading.Lock()

    def active(self) -> dict[str, str]:
        with self._lock:
            marker = self._manifest.change_marker()
            if marker != self._marker:
                self._active = self._manifest.active_hashes()
                self._marker = marker
            return self._active

    def is_active(self, doc_id: str, doc_hash: str) -> bool:
        return self.active().get(doc_id) == doc_hash
