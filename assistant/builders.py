"""Building the retriever and the chat service from settings and the shared components
(`assistant.factory.build_components`). Re-exported by `assistant.service`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.abbreviations import AbbreviationDictionary
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.lexical import Idf
from assistant.corpus_stats import CorpusStats, fingerprint, load_or_build
from assistant.domain import Document
from assistant.query import QueryAnalyzer
from assistant.reference_boost import ReferenceBooster
from assistant.references import Reference
from assistant.rerank import build_reranker
from assistant.retrieval import RetrievalConfig
from assistant.settings import ABBREVIATIONS_FILE, Settings

log = logging.getLogger(__name__)

STATS_FILE = "query_stats.json.gz"


class CorpusStatsHolder:
    """The corpus statistics for the live index; rebuilt (in the background, the old ones
    still serving) when the manifest's live versions change."""

    def __init__(self, path: Path, manifest: Any) -> None:
        self.path = path
        self.manifest = manifest
        self._stats: CorpusStats | None = None
        self._marker: object = None
        self._lock = threading.Lock()
        self._building = False

    def current(self) -> CorpusStats | None:
        marker = self.manifest.change_marker()
        if self._stats is None:
            with self._lock:
                if self._stats is None:
                    self._stats, self._marker = self._build(), marker
        elif marker != self._marker and not self._building:
            self._marker, self._building = marker, True
            threading.Thread(target=self._rebuild, name="corpus-stats", daemon=True).start()
        return self._stats

    def peek(self) -> CorpusStats | None:
        """The statistics in use, without checking the manifest (hot paths)."""
        return self._stats

    def _build(self) -> CorpusStats:
        records = self.manifest.list()
        active = {r.doc_id: r.doc_hash for r in records}
        return load_or_build(self.path, fingerprint(active), lambda: _documents(records))

    def _rebuild(self) -> None:
        try:
            self._stats = self._build()
        except Exception:  # keep serving the old statistics
            log.exception("rebuilding corpus statistics failed")
        finally:
            self._building = False


def _documents(records: list[Any]) -> Iterator[Document]:
    """The live documents, reloaded from their source files with the project's loaders."""
    from indexing.loaders import load_path

    wanted = {r.doc_id for r in records}
    sources = dict.fromkeys((r.source.split("#", 1)[0], r.format, r.audience) for r in records)
    for source, fmt, audience in sources:
        try:
            for document in load_path(Path(source), fmt=fmt, audience=audience):
                if document.doc_id in wanted:
                    yield document
        except Exception as exc:  # a moved file must not stop the others
            log.warning("cannot reload source for statistics", extra={"source": source, "error": repr(exc)})


class _LiveRestorer:
    def __init__(self, holder: CorpusStatsHolder) -> None:
        self.holder = holder

    def restore(self, text: str) -> str:
        stats = self.holder.current()
        return stats.restorer.restore(text) if stats else text


class _LiveCatalog:
    def __init__(self, holder: CorpusStatsHolder) -> None:
        self.holder = holder

    def unit_ids(self, ref: Reference) -> list[str]:
        stats = self.holder.current()
        return stats.catalog.unit_ids(ref) if stats else []


def _live_idf(holder: CorpusStatsHolder) -> Idf:
    cache: dict[int, Idf] = {}

    def idf(term: str) -> float:
        stats = holder.peek()
        if stats is None:
            return 1.0
        fn = cache.get(id(stats))
        if fn is None:
            cache.clear()
            fn = cache[id(stats)] = stats.idf
        return fn(term)

    return idf


def stats_holder(settings: Settings, components: Any) -> CorpusStatsHolder:
    holder = getattr(components, "_troly_stats_holder", None)
    if holder is None:
        holder = CorpusStatsHolder(settings.data_dir / STATS_FILE, components.manifest)
        setattr(components, "_troly_stats_holder", holder)  # one per components object
    return holder


def build_retriever(settings: Settings, components: Any, *, mode: str = "full", **config: Any):
    """A HybridRetriever over the components' index in one mode (bm25 | dense | hybrid | full)."""
    from assistant.retrieval import HybridRetriever

    holder = stats_holder(settings, components)
    abbreviations = AbbreviationDictionary.from_file(ABBREVIATIONS_FILE)
    return HybridRetriever(
        components.embedder,
        components.sparse,
        components.store,
        gate=components.gate,
        analyzer=QueryAnalyzer(abbreviations, _LiveRestorer(holder)),
        config=RetrievalConfig(mode=mode, **config),
        booster=ReferenceBooster(_LiveCatalog(holder)),
        reranker=build_reranker(settings.reranker_model, settings.embedding_device),
    )


def build_extractive(settings: Settings, components: Any) -> ExtractiveAnswerer:
    holder = stats_holder(settings, components)
    return ExtractiveAnswerer(settings.contact, settings.refusal_threshold, idf=_live_idf(holder))
