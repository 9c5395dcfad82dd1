"""The query side from settings and the open index: corpus statistics, retrievers, answerers
(extractive, and the LLM when `settings.llm_base_url` is set), and the chat service."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from assistant.abbreviations import AbbreviationDictionary
from assistant.answering.condenser import Condenser, make_condenser
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.llm import LlmAnswerer
from assistant.answering.llm_client import OpenAILikeClient
from assistant.answering.llm_gate import LlmGate
from assistant.app.index import IndexParts
from assistant.core.interfaces import DossierLookup
from assistant.core.settings import ABBREVIATIONS_FILE, SYNONYMS_FILE, Settings
from assistant.dialogue import load_router_and_dialogue
from assistant.query import QueryAnalyzer, UnderstandingRetriever
from assistant.reference_boost import ReferenceBooster
from assistant.rerank import build_reranker
from assistant.retrieval import HybridRetriever, RetrievalConfig
from assistant.service import RagChatService
from assistant.stats_live import CorpusStatsHolder, LiveCatalog, LiveRestorer, live_idf
from assistant.synonyms import SynonymDictionary
from assistant.validity import ValidityPolicy
from indexing.validity.book import ManifestStatusBook

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Answerers:
    """The answer writers: extractive always; the LLM, its gate and the follow-up condenser
    when an LLM is configured."""

    extractive: ExtractiveAnswerer
    llm: LlmAnswerer | None = None
    gate: LlmGate | None = None
    condenser: Condenser | None = None


def build_stats(index: IndexParts) -> CorpusStatsHolder:
    """The corpus statistics of the live index (diacritic restoration, references, IDF), as
    the index runs write them. An index built before its runs wrote them is caught up first
    (once); where other processes index (the manifest in the database), this process catches
    up whenever the manifest changes."""
    index.indexer.refresh_stats()
    shared = index.settings.manifest_in_database
    return CorpusStatsHolder(
        index.settings.stats_path,
        manifest_marker=index.manifest.change_marker if shared else None,
        catch_up=index.indexer.refresh_stats if shared else None,
    )


def build_retriever(
    index: IndexParts, stats: CorpusStatsHolder, *, mode: str = "full", **config: Any
) -> HybridRetriever:
    """A HybridRetriever over the index in one mode (bm25 | dense | hybrid | full)."""
    settings = index.settings
    analyzer = QueryAnalyzer(
        AbbreviationDictionary.from_file(ABBREVIATIONS_FILE),
        LiveRestorer(stats),
        SynonymDictionary.from_file(SYNONYMS_FILE),
    )
    return HybridRetriever(
        index.embedder,
        index.sparse,
        index.store,
        gate=index.gate,
        analyzer=analyzer,
        config=RetrievalConfig(mode=mode, **config),
        booster=ReferenceBooster(LiveCatalog(stats)),
        reranker=build_reranker(settings.reranker_model, settings.embedding_device),
        # statuses from the manifest (amended / replaced / expired)
        validity=ValidityPolicy(ManifestStatusBook(index.manifest)),
    )


def build_answerers(settings: Settings, stats: CorpusStatsHolder) -> Answerers:
    extractive = ExtractiveAnswerer(settings.contact, settings.refusal_threshold, idf=live_idf(stats))
    if not settings.llm_base_url:
        return Answerers(extractive)
    client = OpenAILikeClient(
        settings.llm_base_url,
        settings.llm_model,
        settings.llm_api_key.get_secret_value(),
        timeout_s=settings.llm_timeout_s,
        first_token_timeout_s=settings.llm_first_token_timeout_s,
    )
    gate = LlmGate(settings.llm_max_concurrent)
    return Answerers(
        extractive, LlmAnswerer(client, extractive, gate=gate), gate, make_condenser(client, gate)
    )


def build_chat_service(
    settings: Settings, retriever: UnderstandingRetriever, answerers: Answerers,
    dossier: DossierLookup | None = None,
) -> RagChatService:
    """The chat service; the router and the dossier dialogue when installed, with `dossier`
    (the guarded lookup) answering dossier-status questions."""
    router, dialogue = load_router_and_dialogue(settings.contact, dossier)
    return RagChatService(
        retriever,
        answerers.extractive,
        llm=answerers.llm,
        condenser=answerers.condenser,
        router=router,
        dialogue=dialogue,
        top_k=settings.top_k,
    )


def warm_stats(stats: CorpusStatsHolder) -> None:
    """Read the statistics once, at start-up, not in the middle of a question."""
    try:
        stats.current()
    except Exception:
        log.exception("corpus statistics unavailable; answering without them")
