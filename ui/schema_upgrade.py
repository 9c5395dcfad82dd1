"""Columns added to existing tables after a database was created (create_all only creates
missing tables): added in place, with their defaults, when an older database is opened.
Migrations proper (Alembic) supersede this once they exist."""

from __future__ import annotations

import logging

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from ui.storage_models import Base

log = logging.getLogger(__name__)


def _default_sql(column) -> str:  # noqa: ANN001 - a sqlalchemy Column
    default = column.default.arg if column.default is not None else None
    if isinstance(default, bool):
        return " DEFAULT " + ("1" if default else "0")
    if isinstance(default, (int, float)):
        return f" DEFAULT {default}"
    if isinstance(default, str):
        return " DEFAULT '" + default.replace("'", "''") + "'"
    return ""


def add_missing_columns(engine: Engine) -> list[str]:
    """ALTER TABLE ... ADD COLUMN for every model column the database lacks; returns them."""
    inspector = inspect(engine)
    added: list[str] = []
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name in present:
                    continue
                kind = column.type.compile(dialect=engine.dialect)
                conn.execute(text(
                    f'ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}{_default_sql(column)}'
                ))
                added.append(f"{table.name}.{column.name}")
    if added:
        log.info("database columns added", extra={"columns": added})
    return added
