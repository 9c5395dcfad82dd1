"""Request and response bodies of the HTTP API (`XCreate` / `XPublic` naming)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.core.domain import Citation, DocumentRecord, DossierLookupResult, ScoredChunk
from ui.chat_flow import ChatTurn
from ui.citation_view import excerpt_beyond_answer, source_name
from ui.jobs import Job
from ui.storage import FeedbackRecord

ChannelAudience = Literal["citizen", "staff"]
_CONVERSATION_ID = r"^[A-Za-z0-9_\-]{1,64}$"


class ChatRequest(BaseModel):
    # the length limit is the input policy's (ui.limits, TROLY_MAX_QUESTION_CHARS, default
    # 2,000): one rule and one answer (413 too_long) for every channel
    message: str = Field(min_length=1, description="Câu hỏi / the question (≤ max_question_chars)")
    conversation_id: str | None = Field(default=None, pattern=_CONVERSATION_ID)
    audience: ChannelAudience = "citizen"
    stream: bool = Field(default=False, description="Server-sent events instead of JSON")
    client: Literal["api", "widget"] = Field(
        default="api", description="Which client asks (the console counts questions by channel)")


class CitationPublic(BaseModel):
    n: int
    unit_id: str
    document_number: str
    title: str
    article_path: str
    page: int | None
    source: str  # file name only: server paths are not shown
    quote: str
    effective_date: str = ""  # ISO, "" when unknown
    status: str = ""  # in_force | amended | replaced | expired, "" when not checked
    status_note: str = ""  # e.g. "Lưu ý: Điều 7 … đã được sửa đổi, bổ sung bởi … từ …"
    excerpt: str = Field(default="", description=(
        "The lines of `quote` the answer does not already contain: what a client shows under "
        "the citation (\"\" when the answer quotes it all)"))

    @classmethod
    def of(cls, n: int, citation: Citation, answer: str = "") -> "CitationPublic":
        data = asdict(citation)
        data["source"] = source_name(citation)
        return cls(n=n, excerpt=excerpt_beyond_answer(answer, citation.quote), **data)


class AnswerPublic(BaseModel):
    answer_id: str
    conversation_id: str
    answer: str
    citations: list[CitationPublic]
    route: str
    refused: bool
    confidence: float
    timings_ms: dict[str, float]
    curated: bool = Field(default=False,
                          description="The department's own answer, written in the console")

    @classmethod
    def of(cls, turn: ChatTurn) -> "AnswerPublic":
        a = turn.answer
        return cls(
            answer_id=turn.answer_id,
            conversation_id=turn.conversation_id,
            answer=a.answer,
            citations=[CitationPublic.of(i, c, a.answer) for i, c in enumerate(a.citations, start=1)],
            route=a.route,
            refused=a.refused,
            confidence=a.confidence,
            timings_ms=a.timings_ms,
            curated=bool(turn.curated_id),
        )


class SearchHitPublic(BaseModel):
    unit_id: str
    doc_id: str
    title: str
    document_number: str
    article_label: str
    article_path: str
    page: int | None
    score: float
    text: str

    @classmethod
    def of(cls, hit: ScoredChunk) -> "SearchHitPublic":
        c = hit.chunk
        return cls(
            unit_id=c.unit_id, doc_id=c.doc_id, title=c.title, document_number=c.document_number,
            article_label=c.article_label, article_path=c.article_path, page=c.page,
            score=hit.score, text=c.text,
        )


class SearchPublic(BaseModel):
    query: str
    hits: list[SearchHitPublic]


class DossierLookupRequest(BaseModel):
    code: str = Field(min_length=1, max_length=64, description="Mã hồ sơ")
    verification: str = Field(
        min_length=1, max_length=32, description="Yếu tố xác minh, ví dụ 4 số cuối điện thoại"
    )


class DossierUnlockRequest(BaseModel):
    code: str = Field(min_length=1, max_length=64, description="Mã hồ sơ")
    client_id: str | None = Field(default=None, max_length=64,
                                  description="Địa chỉ máy khách bị khóa riêng (tùy chọn)")


class DossierUnlockPublic(BaseModel):
    code: str
    unlocked: bool


class DossierLookupPublic(BaseModel):
    outcome: str
    message: str
    status: dict | None = None

    @classmethod
    def of(cls, result: DossierLookupResult) -> "DossierLookupPublic":
        status = asdict(result.status) if result.status is not None else None
        return cls(outcome=result.outcome, message=result.message, status=status)


class FeedbackCreate(BaseModel):
    answer_id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str = Field(default="", max_length=2000)


class FeedbackPublic(BaseModel):
    feedback_id: int
    answer_id: str
    rating: str
    comment: str
    cited_units: list[str]
    created_at: str

    @classmethod
    def of(cls, record: FeedbackRecord) -> "FeedbackPublic":
        return cls(**asdict(record))


class JobPublic(BaseModel):
    job_id: str
    kind: str
    status: str
    files: list[str]
    done: int
    total: int
    message: str
    summary: dict | None
    error: str
    created_at: str
    finished_at: str

    @classmethod
    def of(cls, job: Job) -> "JobPublic":
        return cls(**asdict(job))


class UploadedFilePublic(BaseModel):
    name: str
    size: int
    audience: str
    indexed: bool
    modified_at: str


class DocumentPublic(BaseModel):
    doc_id: str
    source: str
    format: str
    title: str
    document_number: str
    audience: str
    validity: str
    version: int
    chunks: int
    indexed_at: str
    warnings: list[str]
    ocr_confidence: float | None = None  # None: no page needed OCR
    # validity lifecycle: extracted, changed by other documents, edited by an admin
    document_type: str = ""
    issuer: str = ""
    issue_date: str = ""
    effective_date: str = ""
    expiry_date: str = ""  # its own end date (first day no longer in force), "" when none
    replaced_by: str = ""
    status: str = ""  # one line for people, e.g. "Còn hiệu lực (đã sửa đổi một phần): Điều 3 …"
    status_origin: str = ""
    relations: list[dict] = Field(default_factory=list)  # changes this document makes
    amended_by: list[dict] = Field(default_factory=list)  # changes made to it (+ articles)
    override: dict[str, str] = Field(default_factory=dict)  # the admin's edit
    proposals: list[dict] = Field(default_factory=list)  # older documents it may replace

    @classmethod
    def of(cls, r: DocumentRecord, proposals: list[dict] | None = None) -> "DocumentPublic":
        from ui.document_status import status_summary

        return cls(
            doc_id=r.doc_id, source=Path(r.source.split("#", 1)[0]).name, format=r.format,
            title=r.title, document_number=r.document_number, audience=r.audience,
            validity=r.validity, version=r.version, chunks=r.chunks, indexed_at=r.indexed_at,
            warnings=list(r.warnings), ocr_confidence=r.ocr_confidence,
            document_type=r.document_type, issuer=r.issuer, issue_date=r.issue_date,
            effective_date=r.effective_date, expiry_date=r.declared.get("expiry_date", ""),
            replaced_by=r.replaced_by, status=status_summary(r),
            status_origin=r.status_origin, relations=[asdict(x) for x in r.relations],
            amended_by=[asdict(x) for x in r.amended_by], override=dict(r.override),
            proposals=proposals or [],
        )


class DocumentStatusUpdate(BaseModel):
    """An admin's status edit: given fields are set ("" removes that field's earlier edit),
    `clear` drops all earlier edits, `replaces` marks older documents as replaced by this one."""

    validity: Literal["in_force", "amended", "replaced", "expired", "unknown"] | None = None
    effective_date: str | None = Field(default=None, description="yyyy-mm-dd hoặc dd/mm/yyyy")
    replaced_by: str | None = Field(default=None, max_length=200)
    replaces: list[str] = Field(default_factory=list, max_length=20, description="doc_id")
    clear: bool = False
