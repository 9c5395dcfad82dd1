"""Console (issue 14): where each question came from, its answer time and curated answer;
curated answers, API keys and the admin change log.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchanges") as batch:
        batch.add_column(sa.Column("channel", sa.String(24), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("latency_ms", sa.Float(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column("curated_id", sa.String(36), nullable=False, server_default=""))
    op.create_index("ix_exchanges_created_at", "exchanges", ["created_at"])
    op.create_table(
        "curated_answers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.String(32), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "admin_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("ts", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_admin_audit_ts", "admin_audit", ["ts"])


def downgrade() -> None:
    op.drop_table("admin_audit")
    op.drop_table("api_keys")
    op.drop_table("curated_answers")
    op.drop_index("ix_exchanges_created_at", "exchanges")
    with op.batch_alter_table("exchanges") as batch:
        batch.drop_column("curated_id")
        batch.drop_column("latency_ms")
        batch.drop_column("channel")
