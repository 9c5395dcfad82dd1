"""Tables (SQLAlchemy ORM, private to ui.storage) and the plain records ui.storage returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from indexing.manifest_sql import TABLES as MANIFEST_TABLES


class Base(DeclarativeBase):
    pass


class ExchangeRow(Base):
    __tablename__ = "exchanges"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(64), index=True)
    audience: Mapped[str] = mapped_column(String(16))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    route: Mapped[str] = mapped_column(String(32))
    refused: Mapped[bool]
    confidence: Mapped[float] = mapped_column(Float)
    citations: Mapped[list[Any]] = mapped_column(JSON)
    timings_ms: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    # console (issue 14): where the question came from (widget, ui-citizen, ui-staff,
    # api-citizen, api-staff), the total answer time, the curated answer served (if any)
    channel: Mapped[str] = mapped_column(String(24), default="")
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)
    curated_id: Mapped[str] = mapped_column(String(36), default="")


class FeedbackRow(Base):
    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    answer_id: Mapped[str] = mapped_column(ForeignKey("exchanges.id"), index=True)
    rating: Mapped[str] = mapped_column(String(8))
    comment: Mapped[str] = mapped_column(Text)
    cited_units: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[str] = mapped_column(String(32))


class AuditRow(Base):
    __tablename__ = "dossier_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[str] = mapped_column(String(32), index=True)
    client_id: Mapped[str] = mapped_column(String(128))
    code: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(32))
    factor: Mapped[str] = mapped_column(String(32), default="")
    latency_ms: Mapped[float] = mapped_column(Float, default=0.0)


# --- console (issue 14): curated answers, API keys, the admin change log ---------------------
class CuratedRow(Base):
    __tablename__ = "curated_answers"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    variants: Mapped[list[Any]] = mapped_column(JSON)  # other phrasings the admin added
    answer: Mapped[str] = mapped_column(Text)
    sources: Mapped[list[Any]] = mapped_column(JSON)  # [{"kind": "document"|"contact", ...}]
    audience: Mapped[str] = mapped_column(String(16), default="all")
    expires_at: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[str] = mapped_column(String(32))
    deleted: Mapped[bool] = mapped_column(default=False)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # first characters, to recognise a key
    scope: Mapped[str] = mapped_column(String(16))  # admin | staff
    label: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[str] = mapped_column(String(32))
    revoked_at: Mapped[str] = mapped_column(String(32), default="")


class AdminAuditRow(Base):
    __tablename__ = "admin_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[str] = mapped_column(String(32), index=True)
    actor: Mapped[str] = mapped_column(String(64))  # key label / prefix, never the key
    action: Mapped[str] = mapped_column(String(48))
    target: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


# --- state shared by every troly process (issue 15; migration 0003) ---------------------
class RateStateRow(Base):
    """One rate-limit / attempt-counter state (a small JSON document) per scope and key."""

    __tablename__ = "rate_state"
    scope: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(256), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    expires_at: Mapped[float] = mapped_column(Float, index=True)


class IndexJobRow(Base):
    """A background indexing job; `owner` is the JobManager that runs it, `heartbeat_at` the
    last time that owner said it was alive (epoch seconds)."""

    __tablename__ = "index_jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    files: Mapped[list[Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    done: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(Text)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(32), index=True)
    finished_at: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str] = mapped_column(String(64))
    heartbeat_at: Mapped[float] = mapped_column(Float)


# The manifest's tables (scale-out setup, indexing.manifest_sql): part of this schema, so the
# migrations create them and database dumps carry them.
for _table in MANIFEST_TABLES:
    _table.to_metadata(Base.metadata)


@dataclass
class ExchangeRecord:
    answer_id: str
    conversation_id: str
    audience: str
    question: str
    answer: str
    route: str
    refused: bool
    citations: list[dict[str, Any]]
    created_at: str
    channel: str = ""
    confidence: float = 0.0
    timings_ms: dict[str, Any] | None = None
    curated_id: str = ""


@dataclass
class FeedbackRecord:
    feedback_id: int
    answer_id: str
    rating: str
    comment: str
    cited_units: list[str]
    created_at: str


@dataclass
class AuditRecord:
    ts: str
    client_id: str
    code: str
    outcome: str
