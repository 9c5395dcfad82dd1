"""The manifest in the application database (the scale-out setup: several troly processes over
a Qdrant server and PostgreSQL, indexing.manifest_sql). A manifest opened before this revision
ran has created the tables already (under the same schema lock): those are kept.

The tables are written out here, not imported from indexing.manifest_sql: a revision is frozen,
so a later change to the manifest's tables cannot silently rewrite what this one made (it needs
a new revision). tests/unit/ui/test_ui_manifest_database.py asserts the schema this revision
makes equals the manifest's metadata (columns, types, keys, indexes), so the two cannot drift.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# manifest_documents: one column per DocumentRecord field (lists and dicts as JSON text)
_TEXT = ("source", "format", "title", "file_hash", "doc_hash", "indexed_at", "audience",
         "validity", "document_number", "warnings", "document_type", "issuer", "issue_date",
         "effective_date", "replaced_by", "relations", "amended_by", "declared", "override",
         "status_origin")


def _tables() -> dict[str, list[sa.Column]]:
    return {
        "manifest_documents": [
            sa.Column("doc_id", sa.Text(), primary_key=True),
            *[sa.Column(name, sa.Text(), nullable=False) for name in _TEXT],
            sa.Column("version", sa.Integer(), nullable=False),
            sa.Column("chunks", sa.Integer(), nullable=False),
            sa.Column("ocr_confidence", sa.Float(), nullable=True),
        ],
        "manifest_pending": [
            sa.Column("doc_id", sa.Text(), primary_key=True),
            sa.Column("doc_hash", sa.Text(), nullable=False),
        ],
        "manifest_status_changes": [
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
            sa.Column("ts", sa.Text(), nullable=False),
            sa.Column("actor", sa.Text(), nullable=False),
            sa.Column("doc_id", sa.Text(), nullable=False),
            sa.Column("before", sa.Text(), nullable=False),
            sa.Column("after", sa.Text(), nullable=False),
        ],
        "manifest_meta": [
            sa.Column("key", sa.Text(), primary_key=True),
            sa.Column("value", sa.Text(), nullable=False),
        ],
        "manifest_version": [
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
            sa.Column("version", sa.BigInteger(), nullable=False),
        ],
    }


_INDEXES = {"manifest_documents": "source", "manifest_status_changes": "doc_id"}


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    for name, columns in _tables().items():
        if inspector.has_table(name):
            continue
        op.create_table(name, *columns)  # manifest_version's row: made by its first write
        if name in _INDEXES:
            op.create_index(f"ix_{name}_{_INDEXES[name]}", name, [_INDEXES[name]])


def downgrade() -> None:
    for name in reversed(list(_tables())):
        op.drop_table(name)
