"""Alembic environment: runs on the connection `ui.database.upgrade` passes in, or opens the
URL of the config (`alembic -x` style use from a shell)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from ui.storage_models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection, target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
