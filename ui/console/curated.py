"""Curated answers: an admin writes the answer to a question (with its sources: a document in
the index or an official contact), and troly serves it for that question and close
paraphrases, marked as the department's answer. Every change goes into the admin change log."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.core.audience import READERS
from assistant.core.domain import Answer, Citation
from assistant.core.errors import InvalidInputError, NotFoundError
from assistant.core.timestamps import now_iso
from ui.console.audit import AdminAudit
from ui.console.normalize import content_words, coverage
from ui.storage_models import CuratedRow

DEPARTMENT_LABEL = "Câu trả lời của Sở Y tế"
AUDIENCES = ("all", *READERS)
SOURCE_KINDS = ("document", "contact")


class CuratedError(InvalidInputError):
    """An invalid curated answer (shown to the admin)."""


@dataclass
class CuratedAnswer:
    curated_id: str
    question: str
    answer: str
    sources: list[dict[str, str]]
    variants: list[str] = field(default_factory=list)
    audience: str = "all"
    expires_at: str = ""  # ISO date or timestamp; "" = never
    created_at: str = ""
    updated_at: str = ""

    def phrasings(self) -> list[str]:
        return [self.question, *self.variants]

    def active(self, now: str) -> bool:
        return not self.expires_at or self.expires_at > now

    def serves(self, audience: str) -> bool:
        return self.audience == "all" or self.audience == audience


def validate(question: str, answer: str, sources: list[dict[str, Any]], audience: str) -> None:
    if not question.strip():
        raise CuratedError("Thiếu câu hỏi (question) / question is required")
    if not answer.strip():
        raise CuratedError("Thiếu câu trả lời (answer) / answer is required")
    if audience not in AUDIENCES:
        raise CuratedError("Đối tượng (audience): all | citizen | staff")
    if not sources:
        raise CuratedError("Cần ít nhất một nguồn (sources): văn bản hoặc đầu mối liên hệ / "
                           "at least one source (document or contact) is required")
    for source in sources:
        if source.get("kind") not in SOURCE_KINDS or not str(source.get("title", "")).strip():
            raise CuratedError("Nguồn (sources): kind = document | contact, có title / each "
                               "source needs kind (document | contact) and a title")


def _record(row: CuratedRow) -> CuratedAnswer:
    return CuratedAnswer(row.id, row.question, row.answer, list(row.sources), list(row.variants),
                         row.audience, row.expires_at, row.created_at, row.updated_at)


class CuratedStore:
    """Curated answers in the database. `version` changes with every write (matchers re-read)."""

    def __init__(self, db: Callable[[], Engine], audit: AdminAudit) -> None:
        self.db = db
        self.audit = audit
        self.version = 0

    def create(self, actor: str, question: str, answer: str, sources: list[dict[str, Any]], *,
               variants: list[str] | None = None, audience: str = "all",
               expires_at: str = "") -> CuratedAnswer:
        validate(question, answer, sources, audience)
        now = now_iso()
        row = CuratedRow(id=str(uuid.uuid4()), question=question.strip(), answer=answer.strip(),
                         sources=_clean_sources(sources), variants=_clean(variants),
                         audience=audience, expires_at=expires_at.strip(), created_at=now,
                         updated_at=now, deleted=False)
        with Session(self.db()) as session, session.begin():
            session.add(row)
            self.audit.record(actor, "curated.create", row.id,
                              {"question": row.question}, session=session)
            record = _record(row)
        self.version += 1
        return record

    def update(self, actor: str, curated_id: str, **changes: Any) -> CuratedAnswer:
        allowed = {"question", "answer", "sources", "variants", "audience", "expires_at"}
        unknown = set(changes) - allowed
        if unknown:
            raise CuratedError(f"Không sửa được trường {sorted(unknown)} / unknown fields")
        with Session(self.db()) as session, session.begin():
            row = self._get(session, curated_id)
            merged = {**vars(_record(row)), **{k: v for k, v in changes.items() if v is not None}}
            validate(merged["question"], merged["answer"], merged["sources"], merged["audience"])
            row.question, row.answer = merged["question"].strip(), merged["answer"].strip()
            row.sources = _clean_sources(merged["sources"])
            row.variants = _clean(merged["variants"])
            row.audience, row.expires_at = merged["audience"], merged["expires_at"].strip()
            row.updated_at = now_iso()
            self.audit.record(actor, "curated.update", curated_id,
                              {"fields": sorted(k for k, v in changes.items() if v is not None)},
                              session=session)
            record = _record(row)
        self.version += 1
        return record

    def expire(self, actor: str, curated_id: str) -> CuratedAnswer:
        record = self.update(actor, curated_id, expires_at=now_iso())
        return record

    def delete(self, actor: str, curated_id: str) -> CuratedAnswer:
        with Session(self.db()) as session, session.begin():
            row = self._get(session, curated_id)
            row.deleted = True
            row.updated_at = now_iso()
            self.audit.record(actor, "curated.delete", curated_id, {"question": row.question},
                              session=session)
            record = _record(row)
        self.version += 1
        return record

    def get(self, curated_id: str) -> CuratedAnswer:
        with Session(self.db()) as session:
            return _record(self._get(session, curated_id))

    def list(self) -> list[CuratedAnswer]:
        query = select(CuratedRow).where(CuratedRow.deleted.is_(False)).order_by(
            CuratedRow.updated_at.desc())
        with Session(self.db()) as session:
            return [_record(r) for r in session.scalars(query)]

    @staticmethod
    def _get(session: Session, curated_id: str) -> CuratedRow:
        row = session.get(CuratedRow, curated_id)
        if row is None or row.deleted:
            raise NotFoundError(f"Không có câu trả lời biên soạn {curated_id} / "
                                f"no curated answer {curated_id}")
        return row


def _clean(values: list[str] | None) -> list[str]:
    return [v.strip() for v in values or [] if v and v.strip()]


def _clean_sources(sources: list[dict[str, Any]]) -> list[dict[str, str]]:
    keys = ("kind", "title", "document_number", "article", "unit_id", "contact")
    return [{k: str(s.get(k, "")).strip() for k in keys} for s in sources]


# --- matching --------------------------------------------------------------------------------
EmbedQuery = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class MatchPolicy:
    """When a curated phrasing answers a question. Semantic rule: the embedding cosine reaches
    `min_cosine` and the topic words agree (`min_query_coverage` of the question's words are in
    the phrasing, `min_curated_coverage` of the phrasing's words are in the question). Lexical
    rule (questions typed without diacritics embed poorly): the topic words alone agree at
    `lexical_query` / `lexical_curated`. Measured on evals/data/curated_paraphrases.jsonl
    (evals/RESULTS.md, "Curated answers")."""

    min_cosine: float = 0.93
    min_query_coverage: float = 0.3
    min_curated_coverage: float = 0.8
    lexical_query: float = 0.8
    lexical_curated: float = 0.7

    def accepts(self, match: "CuratedMatch", semantic: bool = True) -> bool:
        if match.query_coverage >= self.lexical_query and \
                match.curated_coverage >= self.lexical_curated:
            return True
        return semantic and match.cosine >= self.min_cosine and \
            match.query_coverage >= self.min_query_coverage and \
            match.curated_coverage >= self.min_curated_coverage


@dataclass(frozen=True)
class CuratedMatch:
    curated: CuratedAnswer
    cosine: float
    query_coverage: float  # share of the question's topic words in the phrasing
    curated_coverage: float  # share of the phrasing's topic words in the question


def score_phrasing(curated: CuratedAnswer, words: set[str], vector: np.ndarray | None,
                   phrasing_words: set[str], phrasing_vector: np.ndarray | None) -> CuratedMatch:
    cosine = float(vector @ phrasing_vector) \
        if vector is not None and phrasing_vector is not None else 0.0
    return CuratedMatch(curated, cosine, coverage(words, phrasing_words),
                        coverage(phrasing_words, words))


class CuratedMatcher:
    """Finds the curated answer for a question. Phrasing embeddings are cached until the store
    changes. Without an embedder, only the lexical rule applies."""

    def __init__(self, store: CuratedStore, embed: EmbedQuery | None = None,
                 policy: MatchPolicy | None = None) -> None:
        self.store = store
        self.embed = embed
        self.policy = policy or MatchPolicy()
        self._lock = threading.Lock()
        self._version = -1
        self._entries: list[tuple[CuratedAnswer, set[str], np.ndarray | None]] = []

    def _load(self) -> list[tuple[CuratedAnswer, set[str], np.ndarray | None]]:
        with self._lock:
            if self._version != self.store.version:
                version = self.store.version
                entries = []
                for curated in self.store.list():
                    for phrasing in curated.phrasings():
                        vector = self._vector(phrasing)
                        entries.append((curated, set(content_words(phrasing)), vector))
                self._entries, self._version = entries, version
            return self._entries

    def _vector(self, text: str) -> np.ndarray | None:
        if self.embed is None:
            return None
        return np.asarray(self.embed(text), dtype=np.float32).reshape(-1)

    def score(self, question: str) -> list[CuratedMatch]:
        """Every phrasing's scores for `question`, by cosine then coverage (best first)."""
        entries = self._load()
        if not entries:
            return []
        words = set(content_words(question))
        vector = self._vector(question)
        matches = [score_phrasing(c, words, vector, w, v) for c, w, v in entries]
        return sorted(matches, key=lambda m: (-m.cosine, -m.query_coverage))

    def accepts(self, match: CuratedMatch) -> bool:
        return self.policy.accepts(match, semantic=self.embed is not None)

    def match(self, question: str, audience: str) -> CuratedMatch | None:
        now = now_iso()
        for match in self.score(question):
            if match.curated.active(now) and match.curated.serves(audience) and \
                    self.accepts(match):
                return match
        return None


def curated_answer(match: CuratedMatch) -> Answer:
    """The Answer served: marked as the department's, its sources as citations."""
    c = match.curated
    citations = [
        Citation(unit_id=s.get("unit_id", ""), document_number=s.get("document_number", ""),
                 title=s.get("title", ""), article_path=s.get("article", ""), page=None,
                 source="", quote=s.get("contact", ""))
        for s in c.sources
    ]
    text = f"**{DEPARTMENT_LABEL}:**\n\n{c.answer}"
    return Answer(text, citations, "curated", False, 1.0,  # type: ignore[arg-type]
                  {"curated": 0.0})
