"""Recent exchanges for the console (question, answer, citations, route, timings, feedback) and
their CSV export, with personal data masked as everywhere else (assistant.core.masking: phone and
ID numbers, verification factors) and e-mail addresses too. What is stored is already masked;
masking again on the way out also covers rows stored before masking existed."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from ui.console.queries import ConsoleQueries, Window
from assistant.core.masking import mask_personal_data
from ui.storage_models import ExchangeRecord

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

CSV_COLUMNS = ["created_at", "channel", "audience", "route", "refused", "confidence",
               "latency_ms", "curated", "feedback", "question", "answer", "citations"]


def mask_personal(text: str, dossier: bool = False) -> str:
    """Phone / ID numbers and verification factors (any 4–8 digit run in a dossier exchange)
    and e-mail addresses masked."""
    return _EMAIL.sub("***@***", mask_personal_data(text or "", dossier_context=dossier))


def _citation_label(c: dict[str, Any]) -> str:
    parts = [c.get("document_number") or c.get("title", ""), c.get("article_path", "")]
    return " — ".join(p for p in parts if p)


@dataclass(frozen=True)
class ConversationRow:
    answer_id: str
    conversation_id: str
    created_at: str
    channel: str
    audience: str
    route: str
    refused: bool
    confidence: float
    latency_ms: float
    timings_ms: dict[str, Any]
    curated: bool
    feedback: str  # "up" | "down" | ""
    question: str
    answer: str
    citations: list[str]

    def csv_row(self) -> list[Any]:
        return [self.created_at, self.channel, self.audience, self.route, self.refused,
                round(self.confidence, 3), round(self.latency_ms, 1), self.curated,
                self.feedback, self.question, self.answer, " | ".join(self.citations)]


def _row(record: ExchangeRecord, feedback: dict[str, str]) -> ConversationRow:
    timings = dict(record.timings_ms or {})
    return ConversationRow(
        answer_id=record.answer_id, conversation_id=record.conversation_id,
        created_at=record.created_at, channel=record.channel, audience=record.audience,
        route=record.route, refused=record.refused, confidence=record.confidence,
        latency_ms=float(timings.get("total", 0.0)), timings_ms=timings,
        curated=bool(record.curated_id), feedback=feedback.get(record.answer_id, ""),
        question=mask_personal(record.question, record.route == "dossier_status"),
        answer=mask_personal(record.answer, record.route == "dossier_status"),
        citations=[_citation_label(c) for c in record.citations],
    )


def conversations(queries: ConsoleQueries, window: Window, limit: int | None = 200,
                  newest_first: bool = True) -> list[ConversationRow]:
    records = queries.exchanges(window, limit=limit, newest_first=newest_first)
    feedback = queries.feedback_for([r.answer_id for r in records])
    return [_row(r, feedback) for r in records]


def to_csv(rows: list[ConversationRow]) -> str:
    """UTF-8 CSV with a BOM, so spreadsheet programs show Vietnamese correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(row.csv_row())
    return "\ufeff" + out.getvalue()
