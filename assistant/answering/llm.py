"""The LLM answerer (switched on by `settings.llm_base_url`): a Vietnamese prompt with numbered
context, streamed tokens, verified citations. Weak evidence is refused before the model is
asked; an unsupported answer, a timeout or an error falls back to the extractive answer, so the
caller never sees an exception from here.

Streaming note: text pieces are yielded as they arrive; the final `Answer` (always the last
item) is authoritative and replaces the streamed draft when verification failed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Protocol

from assistant.answering.citations import citation_label, make_citation
from assistant.answering.extractive import ExtractiveAnswerer, refusal_answer
from assistant.answering.lexical import content_terms
from assistant.answering.llm_client import LlmError, LlmTimeout, Message
from assistant.answering.llm_gate import LlmGate
from assistant.answering.prompts import NOT_FOUND, answer_messages
from assistant.answering.sentences import best_passages, shorten
from assistant.answering.verify import renumber, verify_answer
from assistant.core.domain import CPU_DONE, Answer, ScoredChunk

log = logging.getLogger(__name__)


class ChatClient(Protocol):
    def chat(self, messages: Sequence[Message]) -> str: ...

    def stream_chat(self, messages: Sequence[Message]) -> Iterator[str]: ...


def _label(hit: ScoredChunk) -> str:
    """The source label the model sees, with the provision's status note when it is no longer
    the current rule (assistant.validity), so the model does not present it as current."""
    note = str(hit.chunk.metadata.get("status_note") or "")
    return f"{citation_label(hit.chunk)} ({note})" if note else citation_label(hit.chunk)


class LlmAnswerer:
    """Implements `AnswerGenerator`, plus `stream()` for server-sent events."""

    def __init__(
        self,
        client: ChatClient,
        fallback: ExtractiveAnswerer,
        *,
        context_size: int = 5,
        context_chars: int = 1500,
        gate: LlmGate | None = None,
    ) -> None:
        self.client = client
        self.fallback = fallback
        self.context_size = context_size
        self.context_chars = context_chars
        self.gate = gate or LlmGate()

    def answer(
        self, question: str, hits: Sequence[ScoredChunk], route: str = "regulation", **kw: str | None
    ) -> Answer:
        final: Answer | None = None
        for item in self.stream(question, hits, route, **kw):
            if isinstance(item, Answer):
                final = item
        assert final is not None  # stream() always ends with an Answer
        return final

    def stream(
        self,
        question: str,
        hits: Sequence[ScoredChunk],
        route: str = "regulation",
        *,
        focus: str | None = None,
        understood: str | None = None,
    ) -> Iterator[str | Answer]:
        """`question` goes to the model; `understood` (abbreviations spelled out) and `focus`
        (the user's own words) go to the extractive answer that judges evidence and is the
        fallback."""
        grounded = self.fallback.answer(understood or question, hits, route, focus=focus)
        if grounded.refused:
            yield grounded
            return
        top = list(hits[: self.context_size])
        contexts = [(_label(h), shorten(h.chunk.text, self.context_chars)) for h in top]
        yield CPU_DONE  # from here on we wait on the LLM: the caller may free its answer slot
        start = time.perf_counter()
        if not self.gate.allowed():
            yield self._timed(grounded, start)
            return
        with self.gate.slot() as granted:
            if not granted:
                yield self._timed(grounded, start)
                return
            pieces: list[str] = []
            try:
                for delta in self.client.stream_chat(answer_messages(question, contexts)):
                    pieces.append(delta)
                    yield delta
            except LlmError as exc:
                self.gate.record("timeout" if isinstance(exc, LlmTimeout) else "error")
                log.warning("LLM failed, extractive fallback", extra={"error": str(exc)})
                yield self._timed(grounded, start)
                return
        final = self._checked("".join(pieces).strip(), top, contexts, grounded)
        self.gate.record("unsupported" if final is grounded else "ok")
        yield self._timed(final, start)

    def _checked(
        self,
        text: str,
        top: list[ScoredChunk],
        contexts: list[tuple[str, str]],
        grounded: Answer,
    ) -> Answer:
        if text.startswith(NOT_FOUND) or (NOT_FOUND in text and len(text) < 80):
            return refusal_answer(self.fallback.contact, min(grounded.confidence, 0.3))
        check = verify_answer(text, [body for _, body in contexts])
        if not check.ok:
            log.warning("LLM answer not supported, extractive fallback", extra={"problems": check.problems})
            return grounded
        terms = content_terms(text)
        citations = []
        for n in check.cited:
            chunk = top[n - 1].chunk
            quote = "\n".join(p.text for p in best_passages(terms, chunk.text, limit=1))
            citations.append(make_citation(chunk, shorten(quote, 600)))
        return Answer(renumber(text, check.cited), citations, grounded.route, False, grounded.confidence)

    @staticmethod
    def _timed(answer: Answer, start: float) -> Answer:
        answer.timings_ms["llm"] = round((time.perf_counter() - start) * 1000.0, 1)
        return answer
