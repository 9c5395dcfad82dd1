"""The admin change log: every change to curated answers and API keys (who, what, when)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.core.timestamps import now_iso
from ui.storage_models import AdminAuditRow


@dataclass(frozen=True)
class AdminAuditRecord:
    ts: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class AdminAudit:
    def __init__(self, db: Callable[[], Engine]) -> None:
        self.db = db

    def record(self, actor: str, action: str, target: str, detail: dict[str, Any] | None = None,
               session: Session | None = None) -> None:
        """Within `session` (the change's own transaction) when given."""
        row = AdminAuditRow(ts=now_iso(), actor=actor[:64], action=action, target=target,
                            detail=detail or {})
        if session is not None:
            session.add(row)
            return
        with Session(self.db()) as own, own.begin():
            own.add(row)

    def recent(self, limit: int = 100) -> list[AdminAuditRecord]:
        query = select(AdminAuditRow).order_by(AdminAuditRow.id.desc()).limit(limit)
        with Session(self.db()) as session:
            return [AdminAuditRecord(r.ts, r.actor, r.action, r.target, dict(r.detail))
                    for r in session.scalars(query)]
