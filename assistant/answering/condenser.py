"""Follow-up → standalone question, written by the LLM, sharing the LLM's slots and circuit."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answering.llm import ChatClient
from assistant.answering.llm_client import LlmError, LlmTimeout
from assistant.answering.llm_gate import LlmGate
from assistant.answering.prompts import condense_messages

Condenser = Callable[[list[tuple[str, str]], str], str]


def make_condenser(client: ChatClient, gate: LlmGate | None = None) -> Condenser:
    """Follow-up → standalone question, written by the LLM (first line of its reply). With a
    `gate` it shares the LLM's slots and circuit: a busy or degraded LLM raises at once and the
    service carries the topic forward instead."""

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
