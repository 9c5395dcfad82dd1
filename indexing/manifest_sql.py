"""The manifest in the application database (SQLAlchemy; PostgreSQL in production), for several
troly processes over one Qdrant server: a version switched by one process is live for all.

Same behaviour as the SQLite file (`indexing.manifest.Manifest`), in `manifest_*` tables. Every
write is one transaction that also bumps the single row of `manifest_version`, so
`change_marker` (one primary-key read) tells every process that the manifest changed — the
database-wide counterpart of SQLite's `PRAGMA data_version`.

The tables are created here when missing (indexing does not depend on ui's migrations) and by
the application database's Alembic revision 0004, so database dumps and restores carry them;
a test holds the revision's frozen copy of the tables equal to these.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Float,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    delete,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from assistant.core.domain import DocumentRecord
from assistant.core.errors import NotFoundError, StoreError
from indexing.manifest_codec import COLUMNS, encode, to_record, to_row

# The advisory lock id ui.database takes around schema upgrades: creating these tables and
# running the migrations never interleave.
SCHEMA_LOCK_ID = 0x7472_6F6C_7930
_INTEGERS = ("version", "chunks")

metadata = MetaData()
documents = Table(
    "manifest_documents", metadata,
    *[Column(name, Integer if name in _INTEGERS else Text, primary_key=name == "doc_id",
             nullable=False, index=name == "source")
      for name in COLUMNS if name != "ocr_confidence"],
    Column("ocr_confidence", Float, nullable=True),
)  # fmt: skip
pending_marks = Table(
    "manifest_pending", metadata,
    Column("doc_id", Text, primary_key=True),
    Column("doc_hash", Text, nullable=False),
)  # fmt: skip
status_changes = Table(
    "manifest_status_changes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ts", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("doc_id", Text, nullable=False, index=True),
    Column("before", Text, nullable=False),
    Column("after", Text, nullable=False),
)  # fmt: skip
index_meta = Table(
    "manifest_meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)  # fmt: skip
version_counter = Table(
    "manifest_version", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", BigInteger, nullable=False),
)  # fmt: skip
TABLES = (documents, pending_marks, status_changes, index_meta, version_counter)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


class SqlManifest:
    """`ManifestStore` over a SQLAlchemy URL (tables shared by every process using it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self._engine = _open(url)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise StoreError(
                "Không mở được sổ tài liệu (manifest) trong cơ sở dữ liệu (TROLY_DATABASE_URL) / "
                f"cannot open the manifest in the database: {type(exc).__name__}: "
                f"{str(exc).splitlines()[0][:200]}"
            ) from exc
        postgres = self._engine.dialect.name == "postgresql"
        self._insert = pg_insert if postgres else sqlite_insert
        self._lock = threading.Lock()
        self._local_writes = 0

    # --- reads ---------------------------------------------------------------------------
    def _select(self, *where: Any) -> list[DocumentRecord]:
        query = select(*[documents.c[name] for name in COLUMNS]).where(*where)
        with self._engine.connect() as conn:
            records = [to_record(tuple(row)) for row in conn.execute(query)]
        # code point order, as the SQLite file sorts (independent of the server's collation)
        return sorted(records, key=lambda r: (r.source, r.doc_id))

    def list(self) -> list[DocumentRecord]:
        return self._select()

    def get(self, doc_id: str) -> DocumentRecord:
        found = self._select(documents.c.doc_id == doc_id)
        if not found:
            raise NotFoundError(f"Không có tài liệu '{doc_id}' / no document '{doc_id}'")
        return found[0]

    def by_source(self, source: str) -> list[DocumentRecord]:
        return self._select(documents.c.source == source)

    def _pairs(self, table: Table) -> dict[str, str]:
        with self._engine.connect() as conn:
            return {doc_id: doc_hash for doc_id, doc_hash in
                    conn.execute(select(table.c.doc_id, table.c.doc_hash))}

    def active_hashes(self) -> dict[str, str]:
        return self._pairs(documents)

    def pending(self) -> dict[str, str]:
        return self._pairs(pending_marks)

    def change_marker(self) -> tuple[int, int]:
        """The shared version counter (bumped by every write of every process)."""
        with self._engine.connect() as conn:
            counter = conn.execute(select(version_counter.c.version)).scalar()
        return int(counter or 0), self._local_writes

    def meta(self, key: str) -> str | None:
        """A fact about the whole index (e.g. the dense model that embedded it)."""
        with self._engine.connect() as conn:
            return conn.execute(select(index_meta.c.value).where(index_meta.c.key == key)).scalar()

    def status_changes(self, doc_id: str) -> list[dict[str, object]]:
        """The admin edits of one document, newest first."""
        query = (select(status_changes.c.ts, status_changes.c.actor, status_changes.c.before,
                        status_changes.c.after)
                 .where(status_changes.c.doc_id == doc_id).order_by(status_changes.c.id.desc()))
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [{"ts": ts, "actor": actor, "before": json.loads(b), "after": json.loads(a)}
                for ts, actor, b, a in rows]

    # --- writes (each one transaction, bumping the version counter) ---------------------
    def _write(self, *statements: Any) -> None:
        with self._engine.begin() as conn:
            for statement in statements:
                conn.execute(statement)
            _bump(conn)
        with self._lock:
            self._local_writes += 1

    def _upsert(self, table: Table, values: dict[str, object]) -> Any:
        key = [c.name for c in table.primary_key.columns]
        statement = self._insert(table).values(**values)
        changes = {k: v for k, v in values.items() if k not in key}
        return statement.on_conflict_do_update(index_elements=key, set_=changes)

    def mark_pending(self, doc_id: str, doc_hash: str) -> None:
        self._write(self._upsert(pending_marks, {"doc_id": doc_id, "doc_hash": doc_hash}))

    def clear_pending(self, doc_id: str) -> None:
        self._write(delete(pending_marks).where(pending_marks.c.doc_id == doc_id))

    def activate(self, record: DocumentRecord) -> None:
        """Make `record.doc_hash` the live version of the document and clear its pending mark."""
        self._write(self._upsert(documents, to_row(record)),
                    delete(pending_marks).where(pending_marks.c.doc_id == record.doc_id))

    def update_statuses(self, statuses: dict[str, dict[str, object]]) -> None:
        """Write derived status fields of several documents in one transaction."""
        self._write(*[
            update(documents).where(documents.c.doc_id == doc_id)
            .values(**{k: encode(k, v) for k, v in values.items()})
            for doc_id, values in statuses.items()
        ])  # fmt: skip

    def set_override(self, doc_id: str, override: dict[str, str], actor: str, ts: str) -> None:
        """An admin's status edit, with its before/after in the status change log."""
        before = self.get(doc_id).override
        self._write(
            update(documents).where(documents.c.doc_id == doc_id).values(override=_json(override)),
            status_changes.insert().values(ts=ts, actor=actor, doc_id=doc_id,
                                           before=_json(before), after=_json(override)),
        )

    def remove(self, doc_id: str) -> None:
        self._write(delete(documents).where(documents.c.doc_id == doc_id),
                    delete(pending_marks).where(pending_marks.c.doc_id == doc_id))

    def set_meta(self, key: str, value: str) -> None:
        self._write(self._upsert(index_meta, {"key": key, "value": value}))

    def close(self) -> None:
        self._engine.dispose()


def _bump(conn: Connection) -> None:
    """+1 on the counter row (created if missing: a restored dump or fresh migrations)."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    column = version_counter.c.version
    conn.execute(insert(version_counter).values(id=1, version=1).on_conflict_do_update(
        index_elements=["id"], set_={"version": column + 1}))


def _open(url: str) -> Engine:
    """An engine on `url` with the manifest tables present (created under the schema lock)."""
    sqlite = url.startswith("sqlite")
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True, connect_args={"timeout": 30} if sqlite else {})
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK_ID})
            create_tables(conn)
    except BaseException:
        engine.dispose()
        raise
    return engine


def create_tables(conn: Connection, tables: Iterable[Table] = TABLES) -> None:
    """The manifest tables, where missing."""
    metadata.create_all(conn, tables=list(tables), checkfirst=True)
