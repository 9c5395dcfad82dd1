"""A portable dump of the application database: its Alembic revision and every table's rows as
JSON lines, read in one consistent snapshot. Loading recreates the schema at the dump's
revision, inserts the rows and upgrades to the newest revision, all in one transaction, so a
dump restores into SQLite or PostgreSQL alike and into a newer troly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, MetaData, func, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from ui.database import current_revision, database_error, upgrade_connection

VERSION_TABLE = "alembic_version"


def _tables(conn: Connection) -> MetaData:
    metadata = MetaData()
    metadata.reflect(conn)
    if VERSION_TABLE in metadata.tables:
        metadata.remove(metadata.tables[VERSION_TABLE])
    return metadata


def _plain(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool, list, dict, type(None))) else str(value)


def dump(engine: Engine, folder: Path) -> dict[str, Any]:
    """Write `<table>.jsonl` files into `folder`; returns {"revision", "rows": {table: n}}."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    try:
        with engine.connect() as conn:
            # one snapshot for every table while troly keeps writing
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            else:
                conn.exec_driver_sql("BEGIN")  # SQLite (WAL): a read transaction pins it
            revision = current_revision(conn)
            for table in _tables(conn).sorted_tables:
                # storage order (insertion order on SQLite), so that rows with equal
                # timestamps come back in the order they were written
                with (folder / f"{table.name}.jsonl").open("w", encoding="utf-8") as out:
                    count = 0
                    for row in conn.execute(select(table)):
                        record = {k: _plain(v) for k, v in row._mapping.items()}
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
                        count += 1
                rows[table.name] = count
            conn.rollback()
    except SQLAlchemyError as exc:
        raise database_error(exc, "sao lưu được", "dump") from exc
    return {"revision": revision, "rows": rows}


def _read(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def load(engine: Engine, folder: Path, revision: str | None) -> dict[str, int]:
    """Replace the database's contents with the dump in `folder` (one transaction: on any
    error the database is left as it was); returns the rows loaded per table."""
    loaded: dict[str, int] = {}
    try:
        with engine.begin() as conn:
            _tables(conn).drop_all(conn)
            conn.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))
            if revision:
                upgrade_connection(conn, revision)
            for table in _tables(conn).sorted_tables:
                path = folder / f"{table.name}.jsonl"
                batch = list(_read(path)) if path.is_file() else []
                if batch:
                    conn.execute(table.insert(), batch)
                loaded[table.name] = len(batch)
                _reset_sequence(conn, table)
            upgrade_connection(conn, "head")
    except SQLAlchemyError as exc:
        raise database_error(exc, "khôi phục được", "restore") from exc
    return loaded


def _reset_sequence(conn: Connection, table: Any) -> None:
    """PostgreSQL: serial ids continue after the loaded rows."""
    if conn.dialect.name != "postgresql":
        return
    for column in table.primary_key.columns:
        if isinstance(column.type, Integer) and column.autoincrement is not False:
            top = conn.execute(select(func.max(column))).scalar()
            if top is not None:
                conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :v)"),
                             {"t": table.name, "c": column.name, "v": top})
