"""Re-indexing that loses nothing, at the embedder's speed.

For each file: unchanged (same bytes, same sidecar, same chunker and model) → skipped without
loading the model; otherwise load → chunk → segment for BM25, in a background thread, while the
main thread embeds. Chunks of many documents are pooled (up to EMBED_POOL) and embedded together,
sorted by length across the pool, so that batches are full and pad little (a one-chunk TTHC
record is no longer a batch of one); embeddings are cached by text hash, one transaction per
pool. Then, document by document: upsert the new version → flip the manifest's active version in
one transaction → delete the old version's chunks. Readers filter on the manifest
(ManifestGate), so they see the old or the new version, never a mix. A run killed midway leaves
a `pending` mark that the next run cleans up first; a file that fails (loading, chunking,
embedding, storing) is reported and the others go on.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from assistant.core.domain import (
    Chunk,
    Document,
    DocumentRecord,
    FailedFile,
    IndexSummary,
    ProgressCallback,
    SparseVector,
)
from assistant.core.errors import ConfigError, LoadError, TrolyError
from assistant.core.interfaces import CorpusStatsSink, Embedder, ManifestStore, SparseEncoder, VectorStore
from indexing.cache import TextCache
from indexing.chunking import CHUNKER_VERSION, chunk_document
from assistant.core.ids import content_hash, file_hash
from indexing.loaders import is_sidecar, iter_files, load_path, sidecar_path
from indexing.profile import StageProfile
from indexing.validity.status import derive_all

log = logging.getLogger(__name__)

EMBED_POOL = 1024  # chunks of several documents embedded together, sorted by length
EMBED_BATCH = 256  # texts per embedder call inside a pool (progress is reported between calls)
UPSERT_BATCH = 256
PREPARED_AHEAD = 4
DENSE_MODEL_KEY, DENSE_DIM_KEY = "dense_model", "dense_dim"  # files loaded, chunked and segmented ahead of the embedder


DocumentReader = Callable[[Path, "str | None", "str | None"], list[Document]]


def _load_here(path: Path, fmt: str | None, audience: str | None) -> list[Document]:
    return list(load_path(path, fmt=fmt, audience=audience))


@dataclass
class _PreparedDocument:
    document: Document
    old: DocumentRecord | None
    doc_hash: str
    chunks: list[Chunk]
    sparse: list[SparseVector]
    dense: np.ndarray | None = None


@dataclass
class _PreparedFile:
    """One file after loading, chunking and segmentation (or why it failed / was skipped)."""

    path: Path
    key: str = ""
    unchanged: bool = False
    documents: list[_PreparedDocument] = field(default_factory=list)
    stale: list[DocumentRecord] = field(default_factory=list)
    failure: str | None = None

    @property
    def chunk_count(self) -> int:
        return sum(len(d.chunks) for d in self.documents)


def _failure_reason(exc: BaseException) -> str:
    if isinstance(exc, LoadError):
        return exc.reason
    if isinstance(exc, TrolyError):
        return str(exc)
    return f"lỗi không mong đợi / unexpected error: {exc}"


class Indexer:
    """Implements `assistant.core.interfaces.DocumentAdmin`."""

    def __init__(
        self,
        *,
        embedder: Embedder,
        sparse: SparseEncoder,
        store: VectorStore,
        manifest: ManifestStore,
        cache: TextCache,
        default_audience: str = "public",
        loader: DocumentReader | None = None,
        stats: CorpusStatsSink | None = None,
    ) -> None:
        self.embedder = embedder
        self.sparse = sparse
        self.store = store
        self.manifest = manifest
        self.cache = cache
        self.default_audience = default_audience
        # reads one file into Documents; indexing.loaders.bounded.BoundedLoader in a server
        self.loader: DocumentReader = loader or _load_here
        # the query side's corpus statistics, fed with every document a run loads
        self.stats = stats
        self._collection_ready = False
        self.profile = StageProfile()  # of the last index_paths run

    # --- DocumentAdmin ---------------------------------------------------------------------
    def list_documents(self) -> list[DocumentRecord]:
        return self.manifest.list()

    def get_document(self, doc_id: str) -> DocumentRecord:
        return self.manifest.get(doc_id)

    def delete_document(self, doc_id: str) -> DocumentRecord:
        record = self._delete_document(doc_id)
        self.refresh_stats()
        return record

    def _delete_document(self, doc_id: str) -> DocumentRecord:
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
        self.profile = StageProfile()
        self.profile.start()
        summary = IndexSummary()
        self.check_model()
        self.recover()
        files = self._expand(paths, summary)
        audience = audience or self.default_audience
        pool: list[_PreparedFile] = []
        done = 0
        for prepared in self._prepare_in_background(files, audience, fmt):
            if progress:
                progress(done, len(files), prepared.path.name)
            done += 1
            if prepared.failure is not None:
                self._fail(summary, prepared.path, prepared.failure)
            elif prepared.unchanged:
                summary.unchanged += 1
            else:
                summary.warnings.extend(
                    FailedFile(str(prepared.path), w) for d in prepared.documents for w in d.document.warnings
                )
                pool.append(prepared)
                if sum(f.chunk_count for f in pool) >= EMBED_POOL:
                    self._flush(pool, summary, progress)
                    pool = []
        self._flush(pool, summary, progress)
        self.refresh_statuses()
        self.refresh_stats()
        if progress:
            progress(len(files), len(files), "xong / done")
        summary.seconds = time.perf_counter() - started
        return summary

    def refresh_stats(self) -> bool:
        """Bring the corpus statistics up to the live versions: live documents the sink has no
        share of (an index built before the statistics were written by the indexer, or a share
        lost) are read once more with the loader and handed to it, then the sink writes the
        statistics if they changed. True if written. A failure is logged, never raised: the
        previous statistics keep serving."""
        if self.stats is None:
            return False
        try:
            active = self.manifest.active_hashes()
            missing = self.stats.missing(active)
            if missing:
                self._reload_for_stats([r for r in self.manifest.list() if r.doc_id in missing])
            return self.stats.commit(active, self.manifest.pending())
        except Exception:
            log.exception("corpus statistics not updated")
            return False

    def _reload_for_stats(self, records: list[DocumentRecord]) -> None:
        log.info("reading documents again for the corpus statistics", extra={"documents": len(records)})
        wanted = {r.doc_id: r.doc_hash for r in records}
        sources = dict.fromkeys((r.source.split("#", 1)[0], r.format, r.audience) for r in records)
        for source, fmt, audience in sources:
            try:
                documents = self.loader(Path(source), fmt, audience)
            except Exception as exc:  # a moved file must not stop the others
                log.warning("cannot read source for statistics", extra={"source": source, "error": repr(exc)})
                continue
            for document in documents:
                if document.doc_id in wanted:
                    document.source = source
                    self._add_stats(document, wanted[document.doc_id])

    def _add_stats(self, document: Document, doc_hash: str) -> None:
        if self.stats is None:
            return
        try:
            with self.profile.stage("corpus statistics"):
                self.stats.add(document.doc_id, doc_hash, document)
        except Exception:  # the statistics are caught up by `refresh_stats`
            log.exception("corpus statistics share not recorded", extra={"doc_id": document.doc_id})

    def check_model(self) -> None:
        """Refuse to add vectors of another model to this index (name and dimension are
        recorded with it); the first run records them."""
        recorded = self.manifest.meta(DENSE_MODEL_KEY)
        if recorded is None:
            self.manifest.set_meta(DENSE_MODEL_KEY, self.embedder.model_id)
        elif recorded != self.embedder.model_id:
            raise ConfigError(
                f"Chỉ mục này được tạo bằng mô hình {recorded!r}, cấu hình hiện tại là "
                f"{self.embedder.model_id!r}; không trộn vectơ của hai mô hình. Dùng `troly index "
                "--rebuild` để tạo lại chỉ mục bên cạnh chỉ mục đang chạy / this index was built with "
                "another embedding model; vectors of two models are never mixed: use `troly index "
                "--rebuild`"
            )

    def _check_dim(self, dim: int) -> None:
        recorded = self.manifest.meta(DENSE_DIM_KEY)
        if recorded is None:
            self.manifest.set_meta(DENSE_DIM_KEY, str(dim))
        elif int(recorded) != dim:
            raise ConfigError(
                f"Chỉ mục có vectơ {recorded} chiều, mô hình cho {dim} chiều / the index holds "
                f"{recorded}-dimensional vectors, the model gives {dim}"
            )

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
        return [f for f in dict.fromkeys(files) if not is_sidecar(f)]

    def _file_key(self, path: Path, audience: str, fmt: str | None) -> str:
        data = path.read_bytes()
        side = sidecar_path(path)
        extra = side.read_bytes() if side.exists() else b""
        config = f"{CHUNKER_VERSION}|{self.embedder.model_id}|{audience}|{fmt or ''}"
        return content_hash(f"{file_hash(data)}|{file_hash(extra)}|{config}")

    def _prepare_in_background(
        self, files: list[Path], audience: str, fmt: str | None
    ) -> Iterator[_PreparedFile]:
        """Files prepared by a worker thread, in order, at most PREPARED_AHEAD ahead. Loading,
        chunking and segmentation are Python; ONNX Runtime releases the GIL while it embeds, so
        they overlap. Closing the generator (or an exception here) stops the worker."""
        ready: queue.Queue[_PreparedFile | None] = queue.Queue(maxsize=PREPARED_AHEAD)
        stop = threading.Event()

        def offer(item: _PreparedFile | None) -> None:
            while not stop.is_set():  # never blocks forever once the consumer has gone
                try:
                    ready.put(item, timeout=0.2)
                    return
                except queue.Full:
                    continue

        def work() -> None:
            try:
                for path in files:
                    if stop.is_set():
                        return
                    offer(self._prepare(path, audience, fmt))
            finally:
                offer(None)  # the end

        worker = threading.Thread(target=work, name="troly-index-prepare", daemon=True)
        worker.start()
        try:
            while (item := ready.get()) is not None:
                yield item
        finally:
            stop.set()
            worker.join(timeout=30)

    def _prepare(self, path: Path, audience: str, fmt: str | None) -> _PreparedFile:
        prepared = _PreparedFile(path)
        try:
            with self.profile.stage("file key"):
                source = str(path.resolve())
                prepared.key = self._file_key(path, audience, fmt)
                previous = {r.doc_id: r for r in self.manifest.by_source(source)}
            if previous and all(r.file_hash == prepared.key for r in previous.values()):
                prepared.unchanged = True
                return prepared
            with self.profile.stage("load/parse"):
                documents = self.loader(path, fmt, audience)
            for document in documents:
                document.source = source
                doc_hash = content_hash(f"{prepared.key}|{document.doc_id}")[:32]
                with self.profile.stage("chunking (with token counting)"):
                    chunks = chunk_document(document, doc_hash, self.embedder)
                with self.profile.stage("word segmentation + BM25"):
                    sparse = self.sparse.encode_passages([c.embed_text for c in chunks]) if chunks else []
                old = previous.pop(document.doc_id, None)
                prepared.documents.append(_PreparedDocument(document, old, doc_hash, chunks, sparse))
            prepared.stale = list(previous.values())  # the file no longer yields these documents
        except Exception as exc:  # one bad file never stops the run
            if not isinstance(exc, TrolyError):
                log.exception("unexpected failure", extra={"path": str(path)})
            prepared.failure = _failure_reason(exc)
            prepared.documents = []
        return prepared

    def _fail(self, summary: IndexSummary, path: Path, reason: str) -> None:
        summary.failed.append(FailedFile(str(path), reason))
        log.warning("file failed", extra={"path": str(path), "reason": reason})
        self.recover()  # drop a half-written new version; the old one stays live

    def _flush(
        self, pool: list[_PreparedFile], summary: IndexSummary, progress: ProgressCallback | None
    ) -> None:
        """Embed the pool's chunks together, then store each file's documents one by one."""
        if not pool:
            return
        try:
            self._embed_pool([d for f in pool for d in f.documents], progress)
        except Exception:  # find the file(s) at fault; the others are embedded alone
            log.warning("pooled embedding failed; embedding file by file", exc_info=True)
            for prepared in pool:
                try:
                    self._embed_pool(prepared.documents, progress)
                except Exception as exc:
                    prepared.failure = _failure_reason(exc)
        for prepared in pool:
            if prepared.failure is not None:
                self._fail(summary, prepared.path, prepared.failure)
                continue
            try:
                self._store_file(prepared, summary)
            except Exception as exc:  # one bad file never stops the run
                if not isinstance(exc, TrolyError):
                    log.exception("unexpected failure", extra={"path": str(prepared.path)})
                self._fail(summary, prepared.path, _failure_reason(exc))

    def _embed_pool(self, documents: list[_PreparedDocument], progress: ProgressCallback | None) -> None:
        """Dense vectors for every chunk: from the cache, else embedded in length-sorted calls
        across documents; new vectors go to the cache in one transaction."""
        keys = [c.content_hash for d in documents for c in d.chunks]
        with self.profile.stage("embed cache read"):
            cached = self.cache.get_many(keys)
        texts = {c.content_hash: c.embed_text for d in documents for c in d.chunks
                 if c.content_hash not in cached}  # fmt: skip
        missing = sorted(texts, key=lambda k: len(texts[k]))
        fresh: dict[str, bytes] = {}
        before = self._token_stats()
        for start in range(0, len(missing), EMBED_BATCH):
            batch = missing[start : start + EMBED_BATCH]
            with self.profile.stage("embed"):
                vectors = self.embedder.embed_passages([texts[k] for k in batch])
            self.profile.count("chunks embedded", len(batch))
            fresh.update((k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in zip(batch, vectors))
            if progress:
                done = min(start + EMBED_BATCH, len(missing))
                progress(-1, -1, f"nhúng / embedding {done}/{len(missing)} đoạn")
        for name, value in self._token_stats().items():
            self.profile.count(name, value - before.get(name, 0))
        with self.profile.stage("embed cache write"):
            self.cache.put_many(fresh)
        cached.update(fresh)
        for d in documents:
            if d.chunks:
                d.dense = np.stack([np.frombuffer(cached[c.content_hash], dtype=np.float32) for c in d.chunks])

    def _token_stats(self) -> dict[str, int]:
        stats = getattr(self.embedder, "token_stats", None)  # ONNX embedders count tokens
        return stats() if callable(stats) else {}

    def _store_file(self, prepared: _PreparedFile, summary: IndexSummary) -> None:
        for document in prepared.documents:
            summary.chunks += self._replace(document, prepared.key)
            if document.old is None:
                summary.added += 1
            else:
                summary.updated += 1
        for stale in prepared.stale:
            self._delete_document(stale.doc_id)

    def _replace(self, prepared: _PreparedDocument, key: str) -> int:
        document, chunks, old = prepared.document, prepared.chunks, prepared.old
        self.manifest.mark_pending(document.doc_id, prepared.doc_hash)
        self._add_stats(document, prepared.doc_hash)
        if chunks and prepared.dense is not None:
            with self.profile.stage("store upsert"):
                self._upsert(chunks, prepared.dense, prepared.sparse)
        record = DocumentRecord(
            doc_id=document.doc_id,
            source=document.source,
            format=document.format,
            title=document.title,
            file_hash=key,
            doc_hash=prepared.doc_hash,
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
        with self.profile.stage("manifest switch + old version delete"):
            self.manifest.activate(record)  # the switch: one transaction
            self.store.delete_document(document.doc_id, keep_hash=prepared.doc_hash)
        log.info(
            "document indexed",
            extra={"doc_id": document.doc_id, "chunks": len(chunks), "version": record.version},
        )
        return len(chunks)

    def _upsert(self, chunks: list[Chunk], dense: np.ndarray, sparse: list[SparseVector]) -> None:
        if not self._collection_ready:
            self._check_dim(int(dense.shape[1]))
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
                "effective_date": document.effective_date, "expiry_date": document.expiry_date,
                "sidecar": ",".join(sidecar)}
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
