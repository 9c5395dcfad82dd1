"""Tables (SQLAlchemy ORM, private to ui.storage) and the plain records ui.storage returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
    created_at: Mapped[str] = mapped_column(String(32))


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
