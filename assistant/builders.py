"""Building the retriever and the chat service from settings and the shared components
(`assistant.factory.build_components`). Re-exported by `assistant.service`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.abbreviations import AbbreviationDictionary
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.query import QueryAnalyzer
from assistant.reference_boost import ReferenceBooster
from assistant.rerank import build_reranker
from assistant.retrieval import RetrievalConfig
from assistant.core.settings import ABBREVIATIONS_FILE, SYNONYMS_FILE, Settings
from assistant.synonyms import SynonymDictionary
from assistant.stats_live import CorpusStatsHolder, LiveCatalog, LiveRestorer, live_idf

if TYPE_CHECKING:
    from assistant.retrieval import HybridRetriever
    from assistant.service import RagChatService

log = logging.getLogger(__name__)

STATS_FILE = "query_stats.json.gz"


def stats_holder(settings: Settings, components: Any) -> CorpusStatsHolder:
    holder = getattr(components, "_troly_stats_holder", None)
    if holder is None:
        holder = CorpusStatsHolder(settings.data_dir / STATS_FILE, components.manifest)
        setattr(components, "_troly_stats_holder", holder)  # one per components object
    return holder


def build_retriever(
    settings: Settings, components: Any, *, mode: str = "full", **config: Any
) -> HybridRetriever:
    """A HybridRetriever over the components' index in one mode (bm25 | dense | hybrid | full)."""
    from assistant.retrieval import HybridRetriever

    holder = stats_holder(settings, components)
    abbreviations = AbbreviationDictionary.from_file(ABBREVIATIONS_FILE)
    return HybridRetriever(
        components.embedder,
        components.sparse,
        components.store,
        gate=components.gate,
        analyzer=QueryAnalyzer(abbreviations, LiveRestorer(holder), SynonymDictionary.from_file(SYNONYMS_FILE)),
        config=RetrievalConfig(mode=mode, **config),
        booster=ReferenceBooster(LiveCatalog(holder)),
        reranker=build_reranker(settings.reranker_model, settings.embedding_device),
        validity=_validity_policy(components),
    )


def _validity_policy(components: Any) -> Any:
    """Statuses from the manifest (amended / replaced / expired), when the components have one."""
    from assistant.validity import ValidityPolicy
    from indexing.validity.book import ManifestStatusBook

    manifest = getattr(components, "manifest", None)
    return ValidityPolicy(ManifestStatusBook(manifest)) if manifest is not None else None


def build_extractive(settings: Settings, components: Any) -> ExtractiveAnswerer:
    holder = stats_holder(settings, components)
    return ExtractiveAnswerer(settings.contact, settings.refusal_threshold, idf=live_idf(holder))


def build_chat_service(
    settings: Settings,
    components: Any,
    *,
    conversations: Any = None,
    dossier_lookup: Any = None,
) -> RagChatService:
    """The chat service over the components' index (assistant/factory.py `Components`). The LLM
    is used when `settings.llm_base_url` is set; the router and dossier dialogue when installed;
    `dossier_lookup` (the guarded DossierLookup service) answers dossier-status questions, else
    `components.dossier` if the components carry one."""
    from assistant.answering.llm import LlmAnswerer
    from assistant.answering.llm_client import OpenAILikeClient
    from assistant.answering.llm_gate import LlmGate
    from assistant.dialogue import load_router_and_dialogue
    from assistant.service import RagChatService

    try:
        stats_holder(settings, components).current()  # build once, at start-up, not mid-question
    except Exception:
        log.exception("corpus statistics unavailable; answering without them")
    retriever = build_retriever(settings, components, mode="full")
    extractive = build_extractive(settings, components)
    llm = condenser = None
    if settings.llm_base_url:
        client = OpenAILikeClient(
            settings.llm_base_url,
            settings.llm_model,
            settings.llm_api_key.get_secret_value(),
            timeout_s=settings.llm_timeout_s,
            first_token_timeout_s=settings.llm_first_token_timeout_s,
        )
        gate = LlmGate(settings.llm_max_concurrent)
        llm = LlmAnswerer(client, extractive, gate=gate)
        condenser = make_condenser(client, gate)
    lookup = dossier_lookup if dossier_lookup is not None else getattr(components, "dossier", None)
    router, dialogue = load_router_and_dialogue(settings.contact, lookup)
    return RagChatService(
        retriever,
        extractive,
        llm=llm,
        condenser=condenser,
        conversations=conversations,
        router=router,
        dialogue=dialogue,
        top_k=settings.top_k,
    )


def make_condenser(client: Any, gate: Any = None) -> Callable[[list[tuple[str, str]], str], str]:
    """Follow-up → standalone question, written by the LLM (first line of its reply). With a
    `gate` (assistant.answering.llm_gate.LlmGate) it shares the LLM's slots and circuit: a busy
    or degraded LLM raises at once and the service carries the topic forward instead."""
    from assistant.answering.llm_client import LlmError, LlmTimeout
    from assistant.answering.prompts import condense_messages

    def ask(history: list[tuple[str, str]], question: str) -> str:
        return client.chat(condense_messages(history, question)).strip().splitlines()[0]

    def condense(history: list[tuple[str, str]], question: str) -> str:
        if gate is None:
            return ask(history, question)
        if not gate.allowed():
            raise LlmError("LLM degraded: condensing skipped")
        with gate.slot() as granted:
            if not granted:
                raise LlmError("LLM busy: condensing skipped")
            try:
                return ask(history, question)
            except LlmError as exc:
                gate.record("timeout" if isinstance(exc, LlmTimeout) else "error")
                raise

    return condense
