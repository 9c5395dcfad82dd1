"""Protocols between layers. Each has a fake for unit tests and a contract test that every real
backend passes. Implementations live in `indexing/`, `connectors/` and `assistant/`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from assistant.core.domain import (
    Answer,
    Chunk,
    Document,
    ScoredChunk,
    SearchFilter,
    SparseVector,
)


@runtime_checkable
class TokenCounter(Protocol):
    """Counts tokens with the embedder's own tokenizer, so nothing is silently truncated."""

    max_tokens: int

    def count_tokens(self, text: str) -> int: ...


@runtime_checkable
class Embedder(TokenCounter, Protocol):
    """Dense embedder. Vectors are float32, L2-normalised, shape (n, dim)."""

    model_id: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@runtime_checkable
class SparseEncoder(Protocol):
    """BM25-style term weights (the store applies IDF)."""

    def encode_passages(self, texts: Sequence[str]) -> list[SparseVector]: ...

    def encode_query(self, text: str) -> SparseVector: ...


@runtime_checkable
class VectorStore(Protocol):
    """A collection of chunks with a dense and a sparse vector each."""

    def ensure_collection(self, dim: int) -> None: ...

    def upsert(
        self, chunks: Sequence[Chunk], dense: np.ndarray, sparse: Sequence[SparseVector]
    ) -> None: ...

    def delete_document(self, doc_id: str, keep_hash: str | None = None) -> int:
        """Delete the document's chunks whose doc_hash differs from keep_hash (all if None).
        Returns the number deleted."""
        ...

    def document_hashes(self) -> dict[str, set[str]]:
        """doc_id -> set of doc_hash values present in the store (to find leftovers)."""
        ...

    def search_dense(
        self, vector: np.ndarray, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]: ...

    def search_sparse(
        self, vector: SparseVector, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]: ...

    def get_chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


@runtime_checkable
class PortableIndex(Protocol):
    """A vector store that writes its points to a folder in a portable, checksummed form and
    refills an empty collection from one: the backup of a Qdrant server, whose files troly
    cannot copy. `progress(done, total)` is called after each batch."""

    def export_points(self, folder: Path, active: Mapping[str, str] | None = None,
                      progress: Callable[[int, int], None] | None = None) -> int:
        """Write the points (only the `active` doc_id -> doc_hash versions, when given);
        returns how many."""
        ...

    def import_points(self, folder: Path,
                      progress: Callable[[int, int], None] | None = None) -> int:
        """Recreate the collection from an export; refuses one that holds points."""
        ...

    def drop_collection(self) -> None: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


class DocumentLoader(Protocol):
    """Reads one file into one or more documents (a TTHC export folder file is one record)."""

    format: str

    def can_load(self, path: Path) -> bool: ...

    def load(self, path: Path) -> Iterator[Document]: ...


class Chunker(Protocol):
    def chunk(self, document: Document, doc_hash: str) -> list[Chunk]: ...


class Retriever(Protocol):
    def retrieve(
        self, query: str, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]: ...


class AnswerGenerator(Protocol):
    def answer(
        self, question: str, hits: Sequence[ScoredChunk], route: str = "regulation", *,
        focus: str | None = None,
    ) -> Answer:
        """`focus`: the user's own words when `question` was rewritten from a follow-up."""
        ...


class StreamingAnswerGenerator(AnswerGenerator, Protocol):
    """An AnswerGenerator that streams: text pieces, then the final (authoritative) Answer."""

    def stream(
        self, question: str, hits: Sequence[ScoredChunk], route: str = "regulation", *,
        focus: str | None = None, understood: str | None = None,
    ) -> Iterator[str | Answer]: ...


# StatusConnector lives in connectors/base.py, next to DossierRecord.


class DossierLookup(Protocol):
    """The privacy-guarded dossier service (connectors/) as seen by the chat and the API."""

    def lookup(self, code: str, verification: str, client_id: str) -> "DossierLookupResult": ...


class ChatService(Protocol):
    """One service object backs the CLI, the API, the Gradio UI and the widget."""

    def ask(
        self,
        message: str,
        *,
        audience: str = "citizen",  # "citizen" (public documents only) or "staff"
        conversation_id: str | None = None,
        client_id: str = "local",
    ) -> Answer: ...

    def search(
        self,
        query: str,
        *,
        audience: str = "citizen",
        limit: int = 10,
        document_types: tuple[str, ...] | None = None,  # restrictions (`troly search --types`)
        fields: tuple[str, ...] | None = None,  # TTHC lĩnh vực (`troly search --fields`)
    ) -> list[ScoredChunk]: ...


class DocumentAdmin(Protocol):
    """Indexing as seen by the CLI and the admin API (implemented by indexing.pipeline.Indexer)."""

    def index_paths(
        self,
        paths: Sequence[Path],
        *,
        audience: str | None = None,
        fmt: str | None = None,
        progress: "ProgressCallback | None" = None,
    ) -> "IndexSummary": ...

    def list_documents(self) -> list["DocumentRecord"]: ...

    def get_document(self, doc_id: str) -> "DocumentRecord": ...

    def delete_document(self, doc_id: str) -> "DocumentRecord": ...

    def set_status(self, doc_id: str, override: dict[str, str], actor: str) -> "DocumentRecord":
        """An admin's status edit (validity, replaced_by, effective_date); {} clears it."""
        ...

    def status_changes(self, doc_id: str) -> list[dict]: ...


from assistant.core.domain import DocumentRecord, DossierLookupResult, IndexSummary  # noqa: E402
from assistant.core.domain import ProgressCallback  # noqa: E402


class VersionGate(Protocol):
    """Tells readers which document version is live (the manifest's active doc_hash), so a search
    never shows a half-replaced document. Retrievers drop hits that are not active."""

    def is_active(self, doc_id: str, doc_hash: str) -> bool: ...

    def active(self) -> Mapping[str, str]:
        """A snapshot of the live doc_id -> doc_hash map (one lookup per search, not per hit)."""
        ...


class ManifestStore(Protocol):
    """The manifest: which documents are indexed and which version (doc_hash) of each is live.
    A SQLite file in the data directory (one machine) or tables of the application database
    (several troly processes over a Qdrant server and PostgreSQL). Every write is one
    transaction."""

    def list(self) -> list[DocumentRecord]: ...
    def get(self, doc_id: str) -> DocumentRecord: ...
    def by_source(self, source: str) -> list[DocumentRecord]: ...
    def active_hashes(self) -> dict[str, str]: ...
    def pending(self) -> dict[str, str]: ...

    def change_marker(self) -> tuple[int, int]:
        """Differs after any write, by this object or by another connection or process."""
        ...

    def mark_pending(self, doc_id: str, doc_hash: str) -> None: ...
    def clear_pending(self, doc_id: str) -> None: ...

    def activate(self, record: DocumentRecord) -> None:
        """Make `record.doc_hash` the live version and clear its pending mark, atomically."""
        ...

    def update_statuses(self, statuses: dict[str, dict[str, object]]) -> None: ...
    def set_override(self, doc_id: str, override: dict[str, str], actor: str, ts: str) -> None: ...
    def status_changes(self, doc_id: str) -> list[dict[str, object]]: ...
    def remove(self, doc_id: str) -> None: ...
    def meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...
    def close(self) -> None: ...


class CorpusStatsSink(Protocol):
    """Receives the documents an index run loads, so that the query side's corpus statistics
    (diacritic restorer, IDF, reference catalog) follow the index without reading the sources
    again (implemented by assistant.stats_store.CorpusStatsStore; the Indexer calls it)."""

    def add(self, doc_id: str, doc_hash: str, document: Document) -> None:
        """Records the share of one document version (before the manifest activates it)."""
        ...

    def missing(self, active: Mapping[str, str]) -> set[str]:
        """The doc ids among `active` (doc_id -> doc_hash) whose version has no share yet."""
        ...

    def commit(self, active: Mapping[str, str], pending: Mapping[str, str] | None = None) -> bool:
        """Writes the statistics of the live versions (those with a share) and forgets the
        shares of other versions, except `pending` ones (being stored); True if written."""
        ...
