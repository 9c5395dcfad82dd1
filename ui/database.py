"""The application database: one SQLAlchemy engine per URL and its Alembic schema upgrades.

SQLite in the data directory by default, PostgreSQL (`postgresql+psycopg://…`) in production.
`open_engine` brings the schema to the newest revision on first use, so upgrading troly
upgrades the database; several processes starting at once are serialised by a PostgreSQL
advisory lock (SQLite serialises writers itself). A database created before migrations existed
(tables present, no `alembic_version`) is stamped at the revision its tables match, then
upgraded.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from assistant.core.errors import StoreError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001"
# Tables that tell which revision a database created before migrations is at (create_all era).
_PRE_MIGRATION = (("curated_answers", "0002"), ("exchanges", BASELINE))
# Arbitrary constant: the advisory lock id that serialises schema upgrades on PostgreSQL.
_UPGRADE_LOCK = 0x7472_6F6C_7930


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def heads() -> list[str]:
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def database_error(exc: Exception, action_vi: str, action_en: str) -> StoreError:
    return StoreError(
        f"Không {action_vi} cơ sở dữ liệu ứng dụng (TROLY_DATABASE_URL) / cannot {action_en} "
        f"the application database: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    )


def create_db_engine(url: str) -> Engine:
    """An engine with troly's connection settings, without touching the schema."""
    if url.startswith("sqlite:///") and not url.endswith(":memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the schema to `revision` (stamping a pre-migration database first); returns the
    revision it is at afterwards."""
    try:
        with engine.begin() as conn:
            return upgrade_connection(conn, revision)
    except SQLAlchemyError as exc:
        raise database_error(exc, "nâng cấp được", "upgrade") from exc


def upgrade_connection(conn: Connection, revision: str = "head") -> str | None:
    """`upgrade` inside the caller's transaction (a restore runs it with its data load)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _UPGRADE_LOCK})
    config = alembic_config()
    config.attributes["connection"] = conn
    if current_revision(conn) is None:
        _stamp_pre_migration(conn, config)
    command.upgrade(config, revision)
    return current_revision(conn)


def _stamp_pre_migration(conn: Connection, config: Config) -> None:
    inspector = inspect(conn)
    for table, revision in _PRE_MIGRATION:
        if inspector.has_table(table):
            log.info("stamping a pre-migration database", extra={"revision": revision})
            command.stamp(config, revision)
            return


def open_engine(url: str) -> Engine:
    """An engine whose schema is at the newest revision."""
    try:
        engine = create_db_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise database_error(exc, "mở được", "open") from exc
    try:
        upgrade(engine)
    except StoreError:
        engine.dispose()
        raise
    return engine
