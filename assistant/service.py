"""The chat service behind the CLI, the API, the Gradio UI and the widget.

One turn: route (dossier status, greeting and clear out-of-scope go to the dialogue handler) →
understand a follow-up in context → hybrid retrieval (citizens never see staff documents) →
grounded answer (extractive, or the LLM with verified citations) → remember the turn.
`ask_stream` yields text pieces and then the final `Answer`; `ask` returns that Answer.
Every stage's time is in `Answer.timings_ms`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from assistant.answering.condenser import Condenser
from assistant.conversation import (
    ConversationState,
    ConversationStore,
    InMemoryConversationStore,
    Turn,
    carry_topic,
    is_follow_up,
)
from assistant.dialogue import Dialogue, RouteDecision, Router
from assistant.core.audience import audience_filter
from assistant.core.domain import Answer, ScoredChunk, SearchFilter
from assistant.core.interfaces import AnswerGenerator, StreamingAnswerGenerator
from assistant.query import UnderstandingRetriever
from assistant.references import Reference
from assistant.validity import with_status_line

log = logging.getLogger(__name__)

HANDLED_ELSEWHERE = ("dossier_status", "greeting")


@dataclass
class _Clock:
    timings: dict[str, float] = field(default_factory=dict)
    start: float = field(default_factory=time.perf_counter)
    _last: float = field(default_factory=time.perf_counter)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(self.timings.get(stage, 0.0) + (now - self._last) * 1000.0, 2)
        self._last = now

    def finish(self, answer: Answer) -> Answer:
        answer.timings_ms = {**self.timings, **answer.timings_ms}
        answer.timings_ms["total"] = round((time.perf_counter() - self.start) * 1000.0, 2)
        return answer


class RagChatService:
    """Implements `assistant.core.interfaces.ChatService` (plus `ask_stream`)."""

    def __init__(
        self,
        retriever: UnderstandingRetriever,
        answerer: AnswerGenerator,
        *,
        llm: StreamingAnswerGenerator | None = None,
        condenser: Condenser | None = None,
        router: Router | None = None,
        dialogue: Dialogue | None = None,
        top_k: int = 8,
        out_of_scope_trust: float = 0.8,
    ) -> None:
        self.retriever = retriever
        self.answerer = answerer
        self.llm = llm
        self.condenser = condenser
        self.conversations: ConversationStore = InMemoryConversationStore()
        self.router = router
        self.dialogue = dialogue
        self.top_k = top_k
        self.out_of_scope_trust = out_of_scope_trust

    # --- ChatService ---------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        audience: str = "citizen",
        limit: int = 10,
        document_types: tuple[str, ...] | None = None,
        fields: tuple[str, ...] | None = None,
    ) -> list[ScoredChunk]:
        flt = audience_filter(audience, document_types=document_types, fields=fields)
        return self.retriever.retrieve(query, limit, flt)

    def ask(
        self, message: str, *, audience: str = "citizen", conversation_id: str | None = None,
        client_id: str = "local",
    ) -> Answer:
        final = None
        for item in self.ask_stream(
            message, audience=audience, conversation_id=conversation_id, client_id=client_id
        ):
            if isinstance(item, Answer):
                final = item
        assert final is not None  # ask_stream always ends with an Answer
        return final

    def ask_stream(
        self, message: str, *, audience: str = "citizen", conversation_id: str | None = None,
        client_id: str = "local",
    ) -> Iterator[str | Answer]:
        clock = _Clock()
        state = self.conversations.load(conversation_id) if conversation_id else ConversationState()
        decision = self._route(message, state)
        clock.lap("route")
        if self._handled_elsewhere(decision):
            answer, state.dossier = self.dialogue.handle(message, decision, state.dossier, client_id)  # type: ignore[union-attr]
            clock.lap("dialogue")
            self._remember(conversation_id, state, message, message, answer)
            yield clock.finish(answer)
            return
        standalone, carried = self._standalone(message, state)
        analysis = self.retriever.analyze(standalone)
        analysis.references.extend(_carried_refs(carried))
        clock.lap("understand")
        hits = self.retriever.retrieve_analyzed(analysis, self.top_k, audience_filter(audience))
        clock.lap("retrieve")
        route = decision.route if decision and decision.route in ("regulation", "tthc") else "regulation"
        answer = None
        if self.llm is not None:
            for item in self.llm.stream(standalone, hits, route, focus=message, understood=analysis.dense_text):
                if isinstance(item, Answer):
                    answer = with_status_line(item)
                else:
                    yield item
        else:
            # the understood question (abbreviations spelled out, diacritics restored) is what
            # the passages are matched against; the user's own words pick the TTHC parts
            answer = with_status_line(self.answerer.answer(analysis.dense_text, hits, route, focus=message))
            yield answer.answer
        assert answer is not None
        clock.lap("answer")
        self._remember(conversation_id, state, message, standalone, answer)
        yield clock.finish(answer)

    # --- steps ---------------------------------------------------------------------------
    def _route(self, message: str, state: ConversationState) -> RouteDecision | None:
        if self.router is None:
            return None
        try:
            return self.router(message, state.dossier)
        except Exception:  # a router bug must not take the chat down
            log.exception("router failed; answering from documents")
            return None

    def _handled_elsewhere(self, decision: RouteDecision | None) -> bool:
        if decision is None or self.dialogue is None:
            return False
        if decision.route in HANDLED_ELSEWHERE:
            return True
        return decision.route == "out_of_scope" and decision.confidence >= self.out_of_scope_trust

    def _standalone(self, message: str, state: ConversationState) -> tuple[str, list[str]]:
        if self.condenser is None or not is_follow_up(message, state):
            return carry_topic(message, state)
        try:
            condensed = self.condenser(state.history(), message).strip()
        except Exception:  # LLM down or slow: carry the topic forward instead
            log.warning("condensing failed; carrying the topic forward", exc_info=True)
            return carry_topic(message, state)
        return (condensed or message), (state.last.unit_ids[:1] if state.last else [])

    def _remember(
        self, conversation_id: str | None, state: ConversationState, message: str,
        standalone: str, answer: Answer,
    ) -> None:
        if not conversation_id:
            return
        units = [c.unit_id for c in answer.citations]
        route = "out_of_scope" if answer.refused else answer.route
        state.turns.append(Turn(message, standalone, answer.answer, route, units))
        self.conversations.save(conversation_id, state)


def _carried_refs(unit_ids: list[str]) -> list[Reference]:
    """The previous answer's units, as if the follow-up had named them (spelled as stored)."""
    return [Reference("context_unit", unit) for unit in unit_ids]

