"""One chat turn, shared by the API and the Gradio UI: ask the chat service (streamed or not),
store the exchange, record metrics."""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.core.domain import CPU_DONE, Answer
from assistant.core.interfaces import ChatService
from ui.console.curated import CuratedMatch, CuratedMatcher, curated_answer
from ui.limits import InputPolicy
from ui.metrics import Metrics
from ui.services import StreamingChat
from ui.storage import SqlStorage

log = logging.getLogger(__name__)


@dataclass
class ChatTurn:
    answer: Answer
    answer_id: str
    conversation_id: str
    audience: str
    curated_id: str = ""  # set when the department's curated answer was served


def new_conversation_id() -> str:
    return uuid.uuid4().hex


class ChatRunner:
    """`max_concurrent` answers are computed at once (default: one per CPU core); the others
    wait their turn. Running 20 model inferences at once on 2 cores only makes every one of
    them slow (thread oversubscription), so a bounded gate gives better latency under load.

    The slot covers CPU work only: when the answer stream signals `CPU_DONE` (it now waits on
    the LLM, which has its own bounded concurrency) the slot goes to the next chat. Text made
    while the slot is held is buffered, so a slow reader never holds a slot either."""

    def __init__(self, chat: ChatService, storage: SqlStorage, metrics: Metrics,
                 max_concurrent: int | None = None, curated: CuratedMatcher | None = None,
                 policy: InputPolicy | None = None) -> None:
        self.chat = chat
        self.policy = policy or InputPolicy()
        self.storage = storage
        self.metrics = metrics
        self.curated = curated
        self._gate = threading.BoundedSemaphore(max_concurrent or os.cpu_count() or 2)

    def ask(
        self, message: str, audience: str, conversation_id: str | None, client_id: str,
        channel: str = "api",
    ) -> ChatTurn:
        self.policy.check_question(message)
        if isinstance(self.chat, StreamingChat):
            turns = [p for p in self.stream(message, audience, conversation_id, client_id, channel)
                     if isinstance(p, ChatTurn)]
            return turns[-1]
        conversation_id = conversation_id or new_conversation_id()
        served = self._curated(message, audience)
        if served is not None:
            return self._finish(message, audience, conversation_id, served[0], channel, served[1])
        return self._ask_documents(message, audience, conversation_id, client_id, channel)

    def _ask_documents(
        self, message: str, audience: str, conversation_id: str, client_id: str, channel: str,
    ) -> ChatTurn:
        with self._gate:
            answer = self.chat.ask(
                message, audience=audience, conversation_id=conversation_id, client_id=client_id
            )
        return self._finish(message, audience, conversation_id, answer, channel)

    def stream(
        self, message: str, audience: str, conversation_id: str | None, client_id: str,
        channel: str = "api",
    ) -> Iterator[str | ChatTurn]:
        """Yields text pieces, then one ChatTurn. Falls back to a single piece when the chat
        service cannot stream."""
        self.policy.check_question(message)
        conversation_id = conversation_id or new_conversation_id()
        served = self._curated(message, audience)
        if served is not None or not isinstance(self.chat, StreamingChat):
            turn = (self._finish(message, audience, conversation_id, served[0], channel, served[1])
                    if served is not None else
                    self._ask_documents(message, audience, conversation_id, client_id, channel))
            yield turn.answer.answer
            yield turn
            return
        final: Answer | None = None
        held: list[str] = []  # text made while the slot is held, sent once it is released
        self._gate.acquire()
        holding = True
        try:
            for piece in self.chat.ask_stream(
                message, audience=audience, conversation_id=conversation_id, client_id=client_id
            ):
                if isinstance(piece, Answer):
                    final = piece
                elif piece is CPU_DONE and holding:
                    self._gate.release()
                    holding = False
                    yield from held
                elif isinstance(piece, str) and piece:
                    if holding:
                        held.append(piece)
                    else:
                        yield piece
        finally:
            if holding:
                self._gate.release()
        yield from held if holding else ()
        if final is None:
            raise RuntimeError("ask_stream ended without an Answer")
        yield self._finish(message, audience, conversation_id, final, channel)

    def _curated(self, message: str, audience: str) -> tuple[Answer, str] | None:
        """The department's curated answer for this question, if one matches."""
        if self.curated is None:
            return None
        started = time.perf_counter()
        try:
            match: CuratedMatch | None = self.curated.match(message, audience)
        except Exception:  # noqa: BLE001 - a broken curated list must not stop the chat
            log.exception("curated answer matching failed; answering from documents")
            return None
        if match is None:
            return None
        answer = curated_answer(match)
        answer.timings_ms["total"] = round((time.perf_counter() - started) * 1000.0, 2)
        return answer, match.curated.curated_id

    def _finish(
        self, message: str, audience: str, conversation_id: str, answer: Answer, channel: str,
        curated_id: str = "",
    ) -> ChatTurn:
        self.metrics.observe_answer(answer, channel)
        answer_id = self.storage.save_exchange(conversation_id, audience, message, answer,
                                               channel=channel, curated_id=curated_id)
        return ChatTurn(answer, answer_id, conversation_id, audience, curated_id)
