"""Audit trail of dossier lookups: who asked (client id), which code, when, and the outcome.
Never the verification factor, the applicant's name, phone or ID number."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AuditEvent:
    at: str  # ISO 8601 UTC timestamp
    client_id: str
    code: str  # canonical dossier code, "" when the input was not a valid code
    outcome: str  # DossierLookupResult.outcome
    factor: str  # which verification factor was asked for (phone_last4 | id_last4)
    latency_ms: float = 0.0


@runtime_checkable
class AuditSink(Protocol):
    def record(self, event: AuditEvent) -> None: ...


class JsonlAuditSink:
    """Appends one JSON object per line to a file (created with its folder on first write)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, event: AuditEvent) -> None:
        line = json.dumps(asdict(event), ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")


class LoggingAuditSink:
    """Sends audit events to a logger (INFO), as structured `extra` fields."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or logging.getLogger("troly.audit")

    def record(self, event: AuditEvent) -> None:
        self._log.info("dossier lookup audit", extra={"audit": asdict(event)})


class MemoryAuditSink:
    """Keeps events in a list (tests, and the API's recent-activity view)."""

    def __init__(self) -> None:
        self.events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self.events.append(event)
