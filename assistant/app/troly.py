"""`open_troly(settings)`: troly built from settings for the length of a `with` block, as one
typed object, and everything it opened closed again (the index lock included), also when
building fails midway."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from assistant.app.answering import (
    Answerers,
    build_answerers,
    build_chat_service,
    build_retriever,
    build_stats,
    warm_stats,
)
from assistant.app.dossier import build_connector, guard, onestop_configured
from assistant.app.index import IndexParts, build_index
from assistant.core.interfaces import (
    ChatService,
    DocumentAdmin,
    Embedder,
    ManifestStore,
    Retriever,
    SparseEncoder,
    VectorStore,
    VersionGate,
)
from assistant.core.settings import Settings
from assistant.query import UnderstandingRetriever
from assistant.stats_live import CorpusStatsHolder
from connectors.audit import AuditSink
from connectors.guard import DossierService
from connectors.ratelimit import CounterStore
from indexing.pipeline import Indexer


@dataclass(frozen=True)
class Troly:
    """troly, assembled. `chat` is the one service behind the CLI, the API, the UI and the
    widget; `dossier` is None unless a one-stop-shop (iGate or a reference service) is wired."""

    settings: Settings
    store: VectorStore
    embedder: Embedder
    sparse: SparseEncoder
    manifest: ManifestStore
    gate: VersionGate
    indexer: Indexer
    stats: CorpusStatsHolder
    retriever: UnderstandingRetriever
    answerers: Answerers
    chat: ChatService
    dossier: DossierService | None
    index: IndexParts

    @property
    def admin(self) -> DocumentAdmin:
        """Indexing as the admin API and the CLI see it."""
        return self.indexer

    def retriever_for(self, mode: str, **config: Any) -> Retriever:
        """Another retriever over the same index and statistics, in one retrieval mode
        (bm25 | dense | hybrid | full) and config (evaluation variants, benchmarks)."""
        return build_retriever(self.index, self.stats, mode=mode, **config)


@contextmanager
def open_troly(
    settings: Settings,
    *,
    embedder: Embedder | None = None,
    dossier: bool = True,
    reference_url: str | None = None,
    audit: AuditSink | None = None,
    counters: CounterStore | None = None,
    before_answering: Callable[[IndexParts], object] | None = None,
) -> Iterator[Troly]:
    """troly from `settings`; closed when the block ends.

    - `embedder`: replaces the configured dense embedder (tests, benchmarks).
    - `dossier`: wire the dossier service, over the configured one-stop-shop (iGate when
      `settings.igate_base_url` is set: `assistant.app.dossier.onestop_configured`), else
      over the reference service at `reference_url`; with neither there is none.
      `audit` and `counters` go to its privacy guard (defaults: a JSONL audit trail in the
      data directory, counters in this process's memory).
    - `before_answering(index)` runs once the index is open and before the query side reads
      the corpus statistics (e.g. indexing the demo corpus into an empty index).
    """
    with ExitStack() as closing:
        index = build_index(settings, embedder=embedder)
        closing.callback(index.close)
        if before_answering is not None:
            before_answering(index)
        # statuses that depend on the date (an end date, an amendment in force from a date)
        # catch up with today at every start, not only when something is indexed or edited
        index.indexer.refresh_statuses()
        lookup = None
        if dossier and (onestop_configured(settings) or reference_url):
            connector = build_connector(settings, reference_url)
            closing.callback(connector.close)
            lookup = guard(settings, connector, audit=audit, counters=counters)
        stats = build_stats(index)
        warm_stats(stats)
        retriever = build_retriever(index, stats)
        answerers = build_answerers(settings, stats)
        yield Troly(
            settings=settings, store=index.store, embedder=index.embedder, sparse=index.sparse,
            manifest=index.manifest, gate=index.gate, indexer=index.indexer, stats=stats,
            retriever=retriever, answerers=answerers,
            chat=build_chat_service(settings, retriever, answerers, lookup),
            dossier=lookup, index=index,
        )
