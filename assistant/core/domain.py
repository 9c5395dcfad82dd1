"""The project's own small data types, shared by every layer.

Library types (llama-index nodes, qdrant points, underthesea output) never travel past their
adapters: everything between layers is one of these dataclasses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any, Literal

Audience = Literal["public", "staff"]
# "amended": in force, but some articles were amended or repealed by a later document
Validity = Literal["in_force", "amended", "expired", "replaced", "unknown"]
RelationKind = Literal["amends", "replaces", "repeals"]
# "curated": an answer written by the department in the console (ui.console.curated)
Route = Literal["regulation", "tthc", "dossier_status", "greeting", "out_of_scope", "curated"]


@dataclass(frozen=True)
class LegalSource:
    """The original legal document a unit comes from (parsed from Pháp điển `p.pGhiChu`, TTHC
    legal basis, or a circular's header)."""

    document_number: str = ""  # e.g. "105/2016/QH13", "46/2018/TT-BYT"
    document_type: str = ""  # e.g. "Luật", "Nghị định", "Thông tư"
    title: str = ""  # e.g. "Luật Dược"
    issuer: str = ""  # e.g. "Quốc hội", "Bộ Y tế"
    issue_date: str = ""  # ISO yyyy-mm-dd, "" when unknown
    effective_date: str = ""  # ISO yyyy-mm-dd, "" when unknown
    original_article: str = ""  # e.g. "Điều 1" in the original document


@dataclass(frozen=True)
class DocumentRelation:
    """One document changing another: "sửa đổi, bổ sung (Điều 7 của) …", "thay thế …",
    "bãi bỏ …". Stored with the changing document; the target is found by its number."""

    kind: RelationKind
    target: str  # number of the changed document, e.g. "25/2008/QH12"
    articles: tuple[str, ...] = ()  # "Điều 22" in the target; () = the whole document
    source: str = ""  # number of the changing document
    source_doc_id: str = ""  # its doc_id when it is indexed
    effective_date: str = ""  # ISO date the change applies from ("" when unknown)

    @classmethod
    def of(cls, data: dict[str, Any]) -> "DocumentRelation":
        return cls(**{**data, "articles": tuple(data.get("articles") or ())})


@dataclass
class Section:
    """One piece of a loaded document.

    Structured formats (Pháp điển, TTHC, ALQAC) yield one section per stable unit with its
    `unit_id` set; free-form formats (PDF, DOCX, HTML, TXT) yield sections without `unit_id`
    (one per PDF page, or one for the whole text) and the legal chunker finds the articles.
    """

    text: str  # normalised (NFC, tone marks, whitespace) body text
    unit_id: str = ""  # "45.4.LQ.13", "1.013614", "law_id#article_id"; "" for free-form text
    heading: str = ""  # e.g. "Điều 45.4.LQ.13. Điều kiện ..."; TTHC: procedure name
    path: tuple[str, ...] = ()  # structural context above the unit, e.g. ("Chương II",)
    page: int | None = None  # 1-based PDF page
    source: LegalSource | None = None
    metadata: dict[str, Any] = field(default_factory=dict)  # loader-specific structured fields


@dataclass
class Document:
    """A loaded file (or record) with normalised text, before chunking."""

    doc_id: str  # deterministic, derived from the source path (see assistant.core.ids)
    source: str  # file path (or path#record) it came from
    format: str  # "pdf", "docx", "html", "text", "phapdien", "tthc", "alqac"
    title: str
    sections: list[Section]
    document_number: str = ""
    document_type: str = ""
    audience: Audience = "public"
    validity: Validity = "in_force"
    replaced_by: str = ""
    effective_date: str = ""  # ISO, from "có hiệu lực (thi hành) kể từ ngày …" or the sidecar
    expiry_date: str = ""  # ISO first day it no longer applies ("có hiệu lực đến hết ngày …")
    relations: list[DocumentRelation] = field(default_factory=list)  # changes it makes to others
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # e.g. "trang 3: không có lớp văn bản, cần OCR"


@dataclass
class Chunk:
    """The unit that is embedded, stored and retrieved."""

    chunk_id: str  # deterministic UUID string (see assistant.core.ids.chunk_id)
    doc_id: str
    doc_hash: str  # content hash of the document version this chunk belongs to
    unit_id: str  # stable id of the source unit
    text: str  # body text of the chunk (NFC)
    embed_text: str  # what the embedder sees: heading/path context + text
    title: str = ""  # document title (or procedure name)
    document_number: str = ""
    document_type: str = ""
    article_label: str = ""  # e.g. "Điều 13", "Điều 45.4.LQ.13", TTHC section label
    article_path: str = ""  # e.g. "Chương II › Điều 13 › Khoản 2"
    page: int | None = None
    source: str = ""  # source file
    audience: Audience = "public"
    validity: Validity = "in_force"
    replaced_by: str = ""
    content_hash: str = ""  # sha256 of embed_text
    metadata: dict[str, Any] = field(default_factory=dict)  # e.g. tthc field/section, legal source


@dataclass
class SparseVector:
    """A sparse term-weight vector (indices are stable 32-bit term hashes)."""

    indices: list[int]
    values: list[float]


@dataclass
class ScoredChunk:
    chunk: Chunk
    score: float
    scores: dict[str, float] = field(default_factory=dict)  # per-retriever scores, e.g. dense/sparse


@dataclass(frozen=True)
class SearchFilter:
    """Restrictions applied inside the store. None means no restriction."""

    audiences: tuple[str, ...] | None = None
    validities: tuple[str, ...] | None = None
    document_types: tuple[str, ...] | None = None
    fields: tuple[str, ...] | None = None  # TTHC lĩnh vực
    unit_ids: tuple[str, ...] | None = None
    doc_ids: tuple[str, ...] | None = None


@dataclass
class Citation:
    unit_id: str
    document_number: str
    title: str
    article_path: str
    page: int | None
    source: str
    quote: str
    effective_date: str = ""  # ISO, "" when unknown
    status: str = ""  # the provision's Validity at answer time ("" when not known)
    status_note: str = ""  # one line, e.g. "Điều 7 … đã được sửa đổi bởi … có hiệu lực từ …"


@dataclass
class Answer:
    answer: str
    citations: list[Citation]
    route: Route
    refused: bool
    confidence: float
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass
class DossierStatus:
    """A dossier's processing status on the national 1-10 scale, with masked personal data."""

    code: str
    procedure_code: str
    procedure_name: str
    field: str
    status_code: int
    status_label: str
    current_step: str = ""
    handling_unit: str = ""
    channel: str = ""  # trực tiếp / trực tuyến / bưu chính công ích
    applicant_masked: str = ""  # e.g. "N*** V*** A***"
    received_date: str = ""  # ISO dates, "" when absent
    due_date: str = ""
    completed_date: str = ""
    returned_date: str = ""
    overdue_days: int = 0
    next_action: str = ""  # what the applicant must do next (status 5 or 6)


@dataclass
class DossierLookupResult:
    """Outcome of a guarded lookup. `message` is the Vietnamese text shown to the citizen;
    `outcome` is one of ok, not_found_or_mismatch, rate_limited, locked, unavailable, invalid."""

    outcome: str
    message: str
    status: DossierStatus | None = None
    retry_after_s: float = 0.0  # for rate_limited / locked: when asking again may succeed


@dataclass
class DocumentRecord:
    """One manifest entry: a source file and the version of it that is searchable."""

    doc_id: str
    source: str
    format: str
    title: str
    file_hash: str
    doc_hash: str  # active version (chunks with another doc_hash are invisible)
    version: int
    indexed_at: str  # ISO timestamp
    chunks: int
    audience: Audience = "public"
    validity: Validity = "in_force"
    document_number: str = ""
    warnings: list[str] = field(default_factory=list)
    ocr_confidence: float | None = None  # scanned pages read by OCR: mean confidence 0..1
    # validity lifecycle (indexing/validity): what the document says about itself, what other
    # documents and the admin changed, and the status derived from all of them
    document_type: str = ""
    issuer: str = ""
    issue_date: str = ""
    effective_date: str = ""
    replaced_by: str = ""  # number(s) of the replacing document
    relations: list[DocumentRelation] = field(default_factory=list)  # changes it makes
    amended_by: list[DocumentRelation] = field(default_factory=list)  # changes made to it
    declared: dict[str, str] = field(default_factory=dict)  # from its text and sidecar
    override: dict[str, str] = field(default_factory=dict)  # set by an admin (audited)
    status_origin: str = ""  # "văn bản" | "tệp meta" | "văn bản khác" | "quản trị"


@dataclass
class FailedFile:
    path: str
    reason: str


@dataclass
class IndexSummary:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[FailedFile] = field(default_factory=list)
    warnings: list[FailedFile] = field(default_factory=list)  # indexed, with a problem (OCR page)
    chunks: int = 0  # chunks written in this run
    seconds: float = 0.0


# progress(done, total, message); done == total == -1 means "a message within the current step"
ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class StreamEvent:
    """A signal inside an answer stream (not text, not the Answer); consumers that do not
    know it ignore it."""

    name: str


# Yielded by an answer stream when its CPU work is over and it starts waiting on the LLM: the
# caller may give its answer slot to another chat (issue 12: a slow LLM must not stall chats).
CPU_DONE = StreamEvent("cpu_done")
