"""Read-only queries behind the console: exchanges, feedback and dossier lookups in a time
window, and all-time counts for /metrics. SQLAlchemy stays in this module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.core.timestamps import utc_iso
from ui.storage import _exchange_record
from ui.storage_models import AuditRow, ExchangeRecord, ExchangeRow, FeedbackRow


@dataclass(frozen=True)
class Window:
    """[start, end) as ISO timestamps (UTC, seconds), and the days it covers."""

    start: str
    end: str
    days: list[str]

    @classmethod
    def last_days(cls, days: int, now: datetime | None = None) -> "Window":
        now = now or datetime.now(timezone.utc)
        first = (now - timedelta(days=days - 1)).date()
        start = datetime(first.year, first.month, first.day, tzinfo=timezone.utc)
        names = [(first + timedelta(days=i)).isoformat() for i in range(days)]
        end = now + timedelta(seconds=1)
        return cls(utc_iso(start), utc_iso(end), names)

    @classmethod
    def dates(cls, first: str, last: str) -> "Window":
        """From the start of `first` to the end of `last` (yyyy-mm-dd, inclusive)."""
        a = datetime.fromisoformat(first).replace(tzinfo=timezone.utc)
        b = datetime.fromisoformat(last).replace(tzinfo=timezone.utc) + timedelta(days=1)
        names = [(a + timedelta(days=i)).date().isoformat() for i in range((b - a).days)]
        return cls(utc_iso(a), utc_iso(b), names)


@dataclass(frozen=True)
class FeedbackFact:
    created_at: str
    rating: str
    answer_id: str


@dataclass(frozen=True)
class LookupFact:
    ts: str
    outcome: str


class ConsoleQueries:
    def __init__(self, db: Callable[[], Engine]) -> None:
        self.db = db

    def exchanges(self, window: Window, limit: int | None = None,
                  newest_first: bool = False) -> list[ExchangeRecord]:
        query = select(ExchangeRow).where(
            ExchangeRow.created_at >= window.start, ExchangeRow.created_at < window.end)
        order = ExchangeRow.created_at.desc() if newest_first else ExchangeRow.created_at
        query = query.order_by(order)
        if limit:
            query = query.limit(limit)
        with Session(self.db()) as session:
            return [_exchange_record(row) for row in session.scalars(query)]

    def feedback(self, window: Window) -> list[FeedbackFact]:
        query = select(FeedbackRow.created_at, FeedbackRow.rating, FeedbackRow.answer_id).where(
            FeedbackRow.created_at >= window.start, FeedbackRow.created_at < window.end)
        with Session(self.db()) as session:
            return [FeedbackFact(*row) for row in session.execute(query)]

    def feedback_for(self, answer_ids: list[str]) -> dict[str, str]:
        """answer id -> its latest rating."""
        if not answer_ids:
            return {}
        query = (select(FeedbackRow.answer_id, FeedbackRow.rating)
                 .where(FeedbackRow.answer_id.in_(answer_ids)).order_by(FeedbackRow.id))
        with Session(self.db()) as session:
            return {answer_id: rating for answer_id, rating in session.execute(query)}

    def lookups(self, window: Window) -> list[LookupFact]:
        query = select(AuditRow.ts, AuditRow.outcome).where(
            AuditRow.ts >= window.start, AuditRow.ts < window.end)
        with Session(self.db()) as session:
            return [LookupFact(*row) for row in session.execute(query)]

    # --- all-time counts for /metrics -------------------------------------------------------
    def exchange_counts(self) -> list[tuple[str, str, bool, int]]:
        """(channel, route, refused, count)."""
        query = select(ExchangeRow.channel, ExchangeRow.route, ExchangeRow.refused,
                       func.count()).group_by(ExchangeRow.channel, ExchangeRow.route,
                                              ExchangeRow.refused)
        with Session(self.db()) as session:
            return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]

    def feedback_counts(self) -> list[tuple[str, int]]:
        query = select(FeedbackRow.rating, func.count()).group_by(FeedbackRow.rating)
        with Session(self.db()) as session:
            return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]

    def lookup_counts(self) -> list[tuple[str, int]]:
        query = select(AuditRow.outcome, func.count()).group_by(AuditRow.outcome)
        with Session(self.db()) as session:
            return [tuple(row) for row in session.execute(query)]  # type: ignore[misc]
