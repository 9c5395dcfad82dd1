"""Alembic migrations of the application database, over SQLite and a real PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from assistant.core.errors import StoreError
from ui.database import (
    BASELINE,
    alembic_config,
    create_db_engine,
    current_revision,
    heads,
    open_engine,
    upgrade,
)
from ui.storage import SqlStorage
from ui.storage_models import Base


def _insert_baseline_rows(conn) -> None:
    conn.execute(text(
        "INSERT INTO exchanges (id, conversation_id, audience, question, answer, route, refused,"
        " confidence, citations, timings_ms, created_at) VALUES ('a1', 'c1', 'citizen', "
        "'Lệ phí cấp giấy phép?', 'Trả lời [1]', 'regulation', false, 0.8, "
        "'[{\"unit_id\": \"45.4.LQ.13\"}]', '{}', '2026-01-01T00:00:00+00:00')"))
    conn.execute(text(
        "INSERT INTO feedback (answer_id, rating, comment, cited_units, created_at) VALUES "
        "('a1', 'down', 'thiếu điều khoản', '[\"45.4.LQ.13\"]', '2026-01-01T00:00:01+00:00')"))
    conn.execute(text(
        "INSERT INTO dossier_audit (ts, client_id, code, outcome, factor, latency_ms) VALUES "
        "('2026-01-01T00:00:02+00:00', '1.2.3.4', 'CODE-1', 'ok', 'phone_last4', 3.5)"))


def _assert_rows_readable(url: str) -> None:
    storage = SqlStorage(url)
    try:
        [exchange] = storage.conversation("c1")
        assert (exchange.question, exchange.citations) == (
            "Lệ phí cấp giấy phép?", [{"unit_id": "45.4.LQ.13"}])
        [feedback] = storage.list_feedback()
        assert (feedback.answer_id, feedback.comment) == ("a1", "thiếu điều khoản")
        assert [a.code for a in storage.recent_audit()] == ["CODE-1"]
        # new rows still get fresh ids after the upgrade
        assert storage.add_feedback("a1", "up").feedback_id > feedback.feedback_id
    finally:
        storage.close()


def test_migrations_have_exactly_one_head():
    assert len(heads()) == 1, f"several Alembic heads {heads()}: chain your revision on the head"


def test_upgrade_from_previous_revision_keeps_rows(database_url):
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    previous = script.get_revision(head).down_revision or BASELINE
    engine = create_db_engine(database_url)
    try:
        assert upgrade(engine, previous if isinstance(previous, str) else previous[0]) != head
        with engine.begin() as conn:
            _insert_baseline_rows(conn)
        assert upgrade(engine) == head
    finally:
        engine.dispose()
    _assert_rows_readable(database_url)


def test_upgrade_from_baseline_keeps_rows(database_url):
    engine = create_db_engine(database_url)
    try:
        assert upgrade(engine, BASELINE) == BASELINE
        with engine.begin() as conn:
            _insert_baseline_rows(conn)
    finally:
        engine.dispose()
    _assert_rows_readable(database_url)  # SqlStorage upgrades to head on first use


def test_database_created_before_migrations_is_stamped_and_upgraded(database_url):
    engine = create_db_engine(database_url)
    try:
        upgrade(engine, BASELINE)
        with engine.begin() as conn:  # what create_all made before migrations existed
            conn.execute(text("DROP TABLE alembic_version"))
            _insert_baseline_rows(conn)
    finally:
        engine.dispose()
    _assert_rows_readable(database_url)


def test_models_match_migrated_schema(database_url):
    """The ORM tables and the migrations describe the same schema (a new table needs both)."""
    engine = open_engine(database_url)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == heads()[0]
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            assert set(inspect(conn).get_table_names()) >= set(Base.metadata.tables)
    finally:
        engine.dispose()
    assert diff == []


def test_upgrade_twice_is_a_no_op(database_url):
    first = open_engine(database_url)
    first.dispose()
    second = open_engine(database_url)
    try:
        with second.connect() as conn:
            assert current_revision(conn) == heads()[0]
    finally:
        second.dispose()


def test_unreachable_postgresql_is_a_clear_error(postgres_server):
    url = postgres_server.url("khong_co_csdl_nay")
    with pytest.raises(StoreError, match="TROLY_DATABASE_URL"):
        open_engine(url)
