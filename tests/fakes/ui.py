"""Fakes of the services the app serves (ChatService, DocumentAdmin, DossierLookup), for the
UI/API unit tests. They keep real behaviour where the app depends on it: audience filtering,
streaming order, indexing progress, uploaded documents becoming searchable."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fakes.retrieval import passes

from assistant.core.domain import (
    Answer,
    Chunk,
    Citation,
    DocumentRecord,
    DossierLookupResult,
    DossierStatus,
    IndexSummary,
    ProgressCallback,
    ScoredChunk,
    SearchFilter,
)
from assistant.core.errors import NotFoundError
from assistant.core.settings import Settings
from assistant.core.ids import document_id
from assistant.core.text import fold_accents
from ui.services import Services
from ui.storage import SqlStorage


def make_chunk(doc_id: str, unit_id: str, text: str, audience: str = "public", **kw) -> Chunk:
    return Chunk(
        chunk_id=f"{doc_id}-{unit_id}", doc_id=doc_id, doc_hash="h1", unit_id=unit_id, text=text,
        embed_text=text, title=kw.pop("title", f"Văn bản {doc_id}"), audience=audience, **kw,
    )


def _words(text: str) -> set[str]:
    return set(fold_accents(text.lower()).split())


@dataclass
class FakeChatService:
    chunks: list[Chunk] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)
    fail_with: Exception | None = None

    def search(
        self, query: str, *, audience: str = "citizen", limit: int = 10,
        document_types: tuple[str, ...] | None = None, fields: tuple[str, ...] | None = None,
    ) -> list[ScoredChunk]:
        allowed = {"public", "staff"} if audience == "staff" else {"public"}
        restrict = SearchFilter(document_types=document_types, fields=fields)
        q = _words(query)
        scored = [
            ScoredChunk(c, len(q & _words(c.text)) / max(1, len(q)))
            for c in self.chunks if c.audience in allowed and passes(c, restrict)
        ]
        return sorted((s for s in scored if s.score > 0), key=lambda s: -s.score)[:limit]

    def ask(self, message: str, *, audience: str = "citizen", conversation_id: str | None = None,
            client_id: str = "local") -> Answer:
        self.calls.append({"message": message, "audience": audience,
                           "conversation_id": conversation_id, "client_id": client_id})
        if self.fail_with is not None:
            raise self.fail_with
        hits = self.search(message, audience=audience, limit=2)
        if not hits:
            return Answer("Không tìm thấy thông tin.", [], "regulation", True, 0.0,
                          {"retrieval": 1.0, "total": 2.0})
        citations = [
            Citation(h.chunk.unit_id, h.chunk.document_number, h.chunk.title,
                     h.chunk.article_path, h.chunk.page, h.chunk.source or "/srv/x/a.md",
                     h.chunk.text[:80])
            for h in hits
        ]
        return Answer(f"Theo [1]: {hits[0].chunk.text}", citations, "regulation", False,
                      hits[0].score, {"retrieval": 3.0, "answer": 1.0, "total": 4.5})

    def ask_stream(self, message: str, *, audience: str = "citizen",
                   conversation_id: str | None = None, client_id: str = "local"
                   ) -> Iterator[str | Answer]:
        answer = self.ask(message, audience=audience, conversation_id=conversation_id,
                          client_id=client_id)
        for word in answer.answer.split(" "):
            yield word + " "
        yield answer


class FakeDocumentAdmin:
    """Indexes text files into the fake chat service; `hold` makes a job wait until released."""

    def __init__(self, chat: FakeChatService) -> None:
        self.chat = chat
        self.records: dict[str, DocumentRecord] = {}
        self.hold = threading.Event()
        self.hold.set()
        self.calls: list[tuple[list[str], str | None]] = []
        self.changes: dict[str, list[dict]] = {}

    def index_paths(self, paths: Sequence[Path], *, audience: str | None = None,
                    fmt: str | None = None, progress: ProgressCallback | None = None
                    ) -> IndexSummary:
        self.calls.append(([str(p) for p in paths], audience))
        summary = IndexSummary()
        paths = [f for p in map(Path, paths)
                 for f in (sorted(p.rglob("*.*")) if p.is_dir() else [p])]
        for i, path in enumerate(paths):
            if progress:
                progress(i, len(paths), Path(path).name)
            self.hold.wait(10)
            doc_id = document_id(str(path))
            text = Path(path).read_text(encoding="utf-8", errors="replace")
            self.chat.chunks = [c for c in self.chat.chunks if c.doc_id != doc_id]
            self.chat.chunks.append(make_chunk(doc_id, f"{doc_id}#1", text, audience or "public",
                                               source=str(path)))
            summary.updated += doc_id in self.records
            summary.added += doc_id not in self.records
            self.records[doc_id] = DocumentRecord(
                doc_id, str(path), "text", Path(path).stem, "f", "d", 1,
                time.strftime("%Y-%m-%dT%H:%M:%S"), 1, audience or "public")
            summary.chunks += 1
        if progress:
            progress(len(paths), len(paths), "xong / done")
        return summary

    def list_documents(self) -> list[DocumentRecord]:
        return list(self.records.values())

    def get_document(self, doc_id: str) -> DocumentRecord:
        if doc_id not in self.records:
            raise NotFoundError(f"Không có văn bản {doc_id} / no document {doc_id}")
        return self.records[doc_id]

    def set_status(self, doc_id: str, override: dict[str, str], actor: str) -> DocumentRecord:
        record = self.get_document(doc_id)
        self.changes.setdefault(doc_id, []).insert(0, {"actor": actor, "before": record.override, "after": override})
        record.override = dict(override)
        record.validity = override.get("validity", "in_force")  # type: ignore[assignment]
        return record

    def status_changes(self, doc_id: str) -> list[dict]:
        return self.changes.get(doc_id, [])

    def delete_document(self, doc_id: str) -> DocumentRecord:
        record = self.get_document(doc_id)
        del self.records[doc_id]
        self.chat.chunks = [c for c in self.chat.chunks if c.doc_id != doc_id]
        return record


DEMO_CODE = "000.00.21.H21-251120-0001"


class FakeDossierLookup:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def lookup(self, code: str, verification: str, client_id: str) -> DossierLookupResult:
        self.calls.append((code, verification, client_id))
        if code.strip().upper() == DEMO_CODE.upper() and verification == "1234":
            status = DossierStatus(DEMO_CODE, "2.000635", "Cấp giấy phép hành nghề", "KBCB", 4,
                                   "Đang xử lý", applicant_masked="N*** V*** A***")
            return DossierLookupResult("ok", "Hồ sơ đang được xử lý.", status)
        return DossierLookupResult("not_found_or_mismatch",
                                   "Không tìm thấy hồ sơ khớp với thông tin đã nhập.")


def make_services(data_dir: Path, chunks: list[Chunk] | None = None, **overrides) -> Services:
    settings = Settings(data_dir=data_dir, _env_file=None, **overrides)
    chat = FakeChatService(chunks=list(chunks or []))
    admin = FakeDocumentAdmin(chat)
    storage = SqlStorage(settings.sqlalchemy_url)
    return Services(settings=settings, chat=chat, admin=admin, dossier=FakeDossierLookup(),
                    storage=storage, index_size=lambda: len(chat.chunks),
                    closers=[storage.close])
