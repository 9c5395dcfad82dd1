"""Re-indexing that loses nothing.

For each file: unchanged (same bytes, same sidecar, same chunker and model) → skipped without
loading the model; otherwise load → chunk → embed (cached by text hash) → upsert the new version
→ flip the manifest's active version in one transaction → delete the old version's chunks.
Readers filter on the manifest (ManifestGate), so they see the old or the new version, never a
mix. A run killed midway leaves a `pending` mark that the next run cleans up first.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from assistant.domain import (
    Chunk,
    Document,
    DocumentRecord,
    FailedFile,
    IndexSummary,
    ProgressCallback,
    SparseVector,
)
from assistant.errors import LoadError, TrolyError
from assistant.interfaces import Embedder, SparseEncoder, VectorStore
from indexing.cache import TextCache
from indexing.chunking import CHUNKER_VERSION, chunk_document
from indexing.ids import content_hash, file_hash
from indexing.loaders import iter_files, load_path
from indexing.manifest import Manifest
from indexing.validity.status import derive_all

log = logging.getLogger(__name__)

EMBED_BATCH = 64
UPSERT_BATCH = 256


DocumentReader = Callable[[Path, "str | None", "str | None"], list[Document]]


def _load_here(path: Path, fmt: str | None, audience: str | None) -> list[Document]:
    return list(load_path(path, fmt=fmt, audience=audience))


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + ".meta.json")


class Indexer:
    """Implements `assistant.interfaces.DocumentAdmin`."""

    def __init__(
        self,
        *,
        embedder: Embedder,
        sparse: SparseEncoder,
        store: VectorStore,
        manifest: Manifest,
        cache: TextCache,
        default_audience: str = "public",
        loader: DocumentReader | None = None,
    ) -> None:
        self.embedder = embedder
        self.sparse = sparse
        self.store = store
        self.manifest = manifest
        self.cache = cache
        self.default_audience = default_audience
        # reads one file into Documents; indexing.loaders.bounded.BoundedLoader in a server
        self.loader: DocumentReader = loader or _load_here
        self._collection_ready = False

    # --- DocumentAdmin ---------------------------------------------------------------------
    def list_documents(self) -> list[DocumentRecord]:
        return self.manifest.list()

    def get_document(self, doc_id: str) -> DocumentRecord:
        return self.manifest.get(doc_id)

    def delete_document(self, doc_id: str) -> DocumentRecord:
        record = self.manifest.get(doc_id)
        self.manifest.remove(doc_id)  # readers stop seeing it at once
        self.store.delete_document(doc_id)
        self.refresh_statuses()  # what it amended or replaced is current again
        log.info("document deleted", extra={"doc_id": doc_id, "source": record.source})
        return record

    def set_status(self, doc_id: str, override: dict[str, str], actor: str) -> DocumentRecord:
        """An admin's status edit (validity, replaced_by, effective_date; {} clears it),
        logged with before/after, then every status derived again."""
        self.manifest.set_override(doc_id, override, actor, _now())
        self.refresh_statuses()
        return self.manifest.get(doc_id)

    def status_changes(self, doc_id: str) -> list[dict]:
        """The admin's status edits of one document (before/after, who, when), newest first."""
        return self.manifest.status_changes(doc_id)

    def refresh_statuses(self, today: str | None = None) -> int:
        """Derive every document's status again (its text, the changes other documents make
        to it, its sidecar, admin edits); returns how many changed."""
        records = self.manifest.list()
        derived = derive_all(records, today or _now()[:10])
        changed = {
            r.doc_id: vars(d) for r in records
            if (d := derived[r.doc_id]) and (r.validity, r.replaced_by, r.effective_date, r.amended_by, r.status_origin)
            != (d.validity, d.replaced_by, d.effective_date, d.amended_by, d.status_origin)
        }  # fmt: skip
        if changed:
            self.manifest.update_statuses(changed)
            log.info("document statuses updated", extra={"documents": len(changed)})
        return len(changed)

    def index_paths(
        self,
        paths: Sequence[Path | str],
        *,
        audience: str | None = None,
        fmt: str | None = None,
        progress: ProgressCallback | None = None,
    ) -> IndexSummary:
        started = time.perf_counter()
        summary = IndexSummary()
        self.recover()
        files = self._expand(paths, summary)
        for done, path in enumerate(files):
            if progress:
                progress(done, len(files), path.name)
            try:
                self._index_file(path, audience or self.default_audience, fmt, summary, progress)
            except TrolyError as exc:
                reason = exc.reason if isinstance(exc, LoadError) else str(exc)
                summary.failed.append(FailedFile(str(path), reason))
                log.warning("file failed", extra={"path": str(path), "reason": reason})
                self.recover()
            except Exception as exc:  # one bad file never stops the run
                log.exception("unexpected failure", extra={"path": str(path)})
                summary.failed.append(FailedFile(str(path), f"lỗi không mong đợi / unexpected error: {exc}"))
                self.recover()  # drop the half-written new version; the old one stays live
        self.refresh_statuses()
        if progress:
            progress(len(files), len(files), "xong / done")
        summary.seconds = time.perf_counter() - started
        return summary

    def interrupt(self) -> None:
        """Abandon the file being read now (a cancelled job); the run goes on to `recover`."""
        interrupt = getattr(self.loader, "interrupt", None)
        if interrupt is not None:
            interrupt()

    def close(self) -> None:
        close = getattr(self.loader, "close", None)
        if close is not None:
            close()

    def recover(self) -> int:
        """Delete chunks left by a killed run (versions that were never activated)."""
        active = self.manifest.active_hashes()
        removed = 0
        for doc_id, _ in self.manifest.pending().items():
            removed += self.store.delete_document(doc_id, keep_hash=active.get(doc_id))
            self.manifest.clear_pending(doc_id)
        if removed:
            log.info("recovered leftovers of an interrupted run", extra={"chunks": removed})
        return removed

    # --- internals -------------------------------------------------------------------------
    def _expand(self, paths: Sequence[Path | str], summary: IndexSummary) -> list[Path]:
        files: list[Path] = []
        for raw in paths:
            try:
                files.extend(iter_files([raw]))
            except TrolyError as exc:
                summary.failed.append(FailedFile(str(raw), str(exc)))
        return [f for f in dict.fromkeys(files) if not f.name.endswith(".meta.json")]

    def _file_key(self, path: Path, audience: str, fmt: str | None) -> str:
        data = path.read_bytes()
        side = sidecar_path(path)
        extra = side.read_bytes() if side.exists() else b""
        config = f"{CHUNKER_VERSION}|{self.embedder.model_id}|{audience}|{fmt or ''}"
        return content_hash(f"{file_hash(data)}|{file_hash(extra)}|{config}")

    def _index_file(
        self,
        path: Path,
        audience: str,
        fmt: str | None,
        summary: IndexSummary,
        progress: ProgressCallback | None,
    ) -> None:
        source = str(path.resolve())
        key = self._file_key(path, audience, fmt)
        previous = {r.doc_id: r for r in self.manifest.by_source(source)}
        if previous and all(r.file_hash == key for r in previous.values()):
            summary.unchanged += 1
            return
        documents = self.loader(path, fmt, audience)
        for document in documents:
            document.source = source
            summary.warnings.extend(FailedFile(str(path), w) for w in document.warnings)
            old = previous.pop(document.doc_id, None)
            written = self._replace(document, key, old, progress)
            summary.chunks += written
            if old is None:
                summary.added += 1
            else:
                summary.updated += 1
        for stale in previous.values():  # the file no longer yields these documents
            self.delete_document(stale.doc_id)

    def _replace(
        self,
        document: Document,
        key: str,
        old: DocumentRecord | None,
        progress: ProgressCallback | None,
    ) -> int:
        doc_hash = content_hash(f"{key}|{document.doc_id}")[:32]
        chunks = chunk_document(document, doc_hash, self.embedder)
        self.manifest.mark_pending(document.doc_id, doc_hash)
        if chunks:
            dense = self._embed(chunks, document.title, progress)
            sparse = self.sparse.encode_passages([c.embed_text for c in chunks])
            self._upsert(chunks, dense, sparse)
        record = DocumentRecord(
            doc_id=document.doc_id,
            source=document.source,
            format=document.format,
            title=document.title,
            file_hash=key,
            doc_hash=doc_hash,
            version=(old.version + 1) if old else 1,
            indexed_at=_now(),
            chunks=len(chunks),
            audience=document.audience,
            validity=document.validity,
            document_number=document.document_number,
            warnings=list(document.warnings),
            ocr_confidence=document.metadata.get("ocr_confidence"),
            **validity_fields(document, old),
        )
        self.manifest.activate(record)  # the switch: one transaction
        self.store.delete_document(document.doc_id, keep_hash=doc_hash)
        log.info(
            "document indexed",
            extra={"doc_id": document.doc_id, "chunks": len(chunks), "version": record.version},
        )
        return len(chunks)

    def _embed(
        self, chunks: list[Chunk], title: str, progress: ProgressCallback | None
    ) -> np.ndarray:
        keys = [c.content_hash for c in chunks]
        cached = self.cache.get_many(keys)
        missing = [i for i, k in enumerate(keys) if k not in cached]
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            vectors = self.embedder.embed_passages([chunks[i].embed_text for i in batch])
            fresh = {keys[i]: np.asarray(v, dtype=np.float32).tobytes() for i, v in zip(batch, vectors)}
            self.cache.put_many(fresh)
            cached.update(fresh)
            if progress:
                done = min(start + EMBED_BATCH, len(missing))
                progress(-1, -1, f"{title[:40]}: nhúng {done}/{len(missing)} đoạn")
        return np.stack([np.frombuffer(cached[k], dtype=np.float32) for k in keys])

    def _upsert(self, chunks: list[Chunk], dense: np.ndarray, sparse: list[SparseVector]) -> None:
        if not self._collection_ready:
            self.store.ensure_collection(int(dense.shape[1]))
            self._collection_ready = True
        for start in range(0, len(chunks), UPSERT_BATCH):
            end = start + UPSERT_BATCH
            self.store.upsert(chunks[start:end], dense[start:end], sparse[start:end])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def validity_fields(document: Document, old: DocumentRecord | None) -> dict:
    """The manifest's validity-lifecycle fields for a freshly indexed document; the derived
    status is filled in by `Indexer.refresh_statuses`, an admin's edit is kept."""
    sidecar = document.metadata.get("sidecar_fields") or []
    declared = {"validity": document.validity, "replaced_by": document.replaced_by,
                "effective_date": document.effective_date, "sidecar": ",".join(sidecar)}
    return {
        "document_type": document.document_type,
        "issuer": str(document.metadata.get("issuer") or ""),
        "issue_date": str(document.metadata.get("issue_date") or ""),
        "effective_date": document.effective_date,
        "replaced_by": document.replaced_by,
        "relations": list(document.relations),
        "amended_by": list(old.amended_by) if old else [],
        "declared": {k: v for k, v in declared.items() if v},
        "override": dict(old.override) if old else {},
        "status_origin": old.status_origin if old else "",
    }
