"""The answer slot covers CPU work only: a chat waiting on the LLM (after `CPU_DONE`) does not
keep other chats waiting."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from assistant.core.domain import CPU_DONE, Answer
from ui.chat_flow import ChatRunner
from ui.metrics import Metrics
from ui.storage import SqlStorage


class WaitsOnLlm:
    """Retrieval-like CPU work, then CPU_DONE, then a long LLM wait for questions about 'llm'."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def ask(self, message: str, **kw) -> Answer:
        return [p for p in self.ask_stream(message, **kw) if isinstance(p, Answer)][-1]

    def ask_stream(self, message: str, **kw) -> Iterator[object]:
        time.sleep(0.01)
        if "llm" in message:
            yield CPU_DONE
            self.release.wait(10)
        yield "trả lời"
        yield Answer("trả lời", [], "regulation", False, 1.0, {})


def test_chat_waiting_on_llm_does_not_hold_the_answer_slot(tmp_path):
    storage = SqlStorage(f"sqlite:///{tmp_path / 't.sqlite'}")
    chat = WaitsOnLlm()
    runner = ChatRunner(chat, storage, Metrics(lambda: 0), max_concurrent=1)
    slow = threading.Thread(target=lambda: runner.ask("hỏi llm", "citizen", None, "a"))
    slow.start()
    time.sleep(0.2)
    started = time.perf_counter()
    turn = runner.ask("xin chào", "citizen", None, "b")
    waited = time.perf_counter() - started
    chat.release.set()
    slow.join(10)
    storage.close()
    assert turn.answer.answer == "trả lời"
    assert waited < 1.0


def test_stream_releases_slot_when_abandoned(tmp_path):
    storage = SqlStorage(f"sqlite:///{tmp_path / 't.sqlite'}")
    runner = ChatRunner(WaitsOnLlm(), storage, Metrics(lambda: 0), max_concurrent=1)
    pieces = runner.stream("xin chào", "citizen", None, "a")
    next(pieces)
    pieces.close()  # the client went away mid-answer
    assert runner.ask("xin chào", "citizen", None, "b").answer.answer == "trả lời"
    storage.close()


def test_readyz_and_metrics_show_llm_degradation(services, client):
    from assistant.answering.llm_gate import LlmGate

    assert client.get("/readyz").json()["llm"] == {"state": "off"}
    gate = LlmGate(1, trip_after=2)
    services.llm_gate = gate
    gate.record("timeout")
    gate.record("timeout")
    ready = client.get("/readyz")
    assert ready.status_code == 200  # extractive answers go on
    assert ready.json()["llm"]["state"] == "degraded"
    text = client.get("/metrics").text
    assert "troly_llm_degraded 1.0" in text
    assert 'troly_llm_fallbacks{reason="timeout"} 2.0' in text
