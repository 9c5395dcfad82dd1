"""Conversations, feedback and the dossier audit log, stored through SQLAlchemy.

SQLite in the data directory by default (`settings.sqlalchemy_url`), PostgreSQL
(`postgresql+psycopg://…`) in production; the schema is upgraded on first use (ui.database).
SQLAlchemy types stay in this module: callers get small dataclasses back.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import asdict
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from assistant.core.domain import Answer
from assistant.core.errors import NotFoundError, StoreError
from assistant.core.masking import mask_personal_data
from assistant.core.timestamps import now_iso
from ui.database import open_engine
from ui.storage_models import (
    AuditRecord,
    AuditRow,
    ExchangeRecord,
    ExchangeRow,
    FeedbackRecord,
    FeedbackRow,
)

if TYPE_CHECKING:
    from connectors.audit import AuditEvent

log = logging.getLogger(__name__)

class SqlStorage:
    """Conversation log, feedback and dossier audit log over one SQLAlchemy engine."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    def engine(self) -> Engine:
        """The shared engine (opened, and the schema upgraded, on first use); the other
        database-backed stores (counters, jobs) use it too."""
        with self._lock:
            if self._engine is None:
                self._engine = open_engine(self.url)
            return self._engine

    def save_exchange(
        self, conversation_id: str, audience: str, question: str, answer: Answer,
        channel: str = "", curated_id: str = "",
    ) -> str:
        """Store one question and its answer; returns the new answer id."""
        # phones, ID numbers and verification factors never reach the database
        question = mask_personal_data(question, dossier_context=answer.route == "dossier_status")
        answer_id = str(uuid.uuid4())
        row = ExchangeRow(
            id=answer_id,
            conversation_id=conversation_id,
            audience=audience,
            question=question,
            answer=answer.answer,
            route=answer.route,
            refused=answer.refused,
            confidence=float(answer.confidence),
            citations=[asdict(c) for c in answer.citations],
            timings_ms=dict(answer.timings_ms),
            created_at=now_iso(),
            channel=channel,
            latency_ms=float(answer.timings_ms.get("total", 0.0)),
            curated_id=curated_id,
        )
        with Session(self.engine()) as session, session.begin():
            session.add(row)
        return answer_id

    def conversation(self, conversation_id: str) -> list[ExchangeRecord]:
        query = (
            select(ExchangeRow)
            .where(ExchangeRow.conversation_id == conversation_id)
            .order_by(ExchangeRow.created_at)
        )
        with Session(self.engine()) as session:
            return [_exchange_record(row) for row in session.scalars(query)]

    def add_feedback(self, answer_id: str, rating: str, comment: str = "") -> FeedbackRecord:
        with Session(self.engine()) as session, session.begin():
            exchange = session.get(ExchangeRow, answer_id)
            if exchange is None:
                raise NotFoundError(f"Không có câu trả lời {answer_id} / no answer {answer_id}")
            row = FeedbackRow(
                answer_id=answer_id,
                rating=rating,
                comment=mask_personal_data(comment),
                cited_units=[c.get("unit_id", "") for c in exchange.citations],
                created_at=now_iso(),
            )
            session.add(row)
            session.flush()
            return _feedback_record(row)

    def list_feedback(self, limit: int = 100) -> list[FeedbackRecord]:
        query = select(FeedbackRow).order_by(FeedbackRow.id.desc()).limit(limit)
        with Session(self.engine()) as session:
            return [_feedback_record(row) for row in session.scalars(query)]

    def record_lookup(
        self, client_id: str, code: str, outcome: str, *, factor: str = "",
        latency_ms: float = 0.0, at: str = "",
    ) -> None:
        """Audit one dossier lookup (no personal data: client, code, outcome, time)."""
        row = AuditRow(ts=at or now_iso(), client_id=client_id, code=code, outcome=outcome,
                       factor=factor, latency_ms=latency_ms)
        with Session(self.engine()) as session, session.begin():
            session.add(row)

    def recent_audit(self, limit: int = 100) -> list[AuditRecord]:
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        with Session(self.engine()) as session:
            rows = session.scalars(query)
            return [AuditRecord(r.ts, r.client_id, r.code, r.outcome) for r in rows]

    def ping(self) -> bool:
        try:
            with self.engine().connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except (SQLAlchemyError, StoreError):
            log.warning("conversation database unreachable", exc_info=True)
            return False

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None


def _exchange_record(row: ExchangeRow) -> ExchangeRecord:
    return ExchangeRecord(
        answer_id=row.id,
        conversation_id=row.conversation_id,
        audience=row.audience,
        question=row.question,
        answer=row.answer,
        route=row.route,
        refused=row.refused,
        citations=list(row.citations),
        created_at=row.created_at,
        channel=row.channel or "",
        confidence=float(row.confidence),
        timings_ms=dict(row.timings_ms or {}),
        curated_id=row.curated_id or "",
    )


def _feedback_record(row: FeedbackRow) -> FeedbackRecord:
    return FeedbackRecord(
        feedback_id=row.id,
        answer_id=row.answer_id,
        rating=row.rating,
        comment=row.comment,
        cited_units=list(row.cited_units),
        created_at=row.created_at,
    )


class SqlAuditSink:
    """`connectors.audit.AuditSink` writing the dossier audit trail into SqlStorage."""

    def __init__(self, storage: SqlStorage) -> None:
        self.storage = storage

    def record(self, event: AuditEvent) -> None:
        self.storage.record_lookup(
            event.client_id, event.code, event.outcome, factor=event.factor,
            latency_ms=event.latency_ms, at=event.at,
        )

