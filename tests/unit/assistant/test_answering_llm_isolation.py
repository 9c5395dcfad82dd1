"""A slow or dead LLM cannot stall other chats: its calls have their own bounded concurrency
and a short first-token timeout, fall back to the extractive answer, release the answer slot
(CPU work only) while they wait, and show as degraded."""

from __future__ import annotations

import threading
import time

import pytest
from support.assistant_corpus import corpus
from support.fake_llm_server import running_server

from assistant.answering.evidence import EvidenceModel
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.llm import LlmAnswerer
from assistant.answering.llm_client import OpenAILikeClient
from assistant.answering.llm_gate import LlmGate
from assistant.core.domain import CPU_DONE, Answer, ScoredChunk

QUESTION = "Mất thẻ bảo hiểm y tế thì được cấp lại trong trường hợp nào?"


@pytest.fixture(scope="module")
def server():
    with running_server() as (url, app):
        list(_answerer(url, "good", LlmGate(1)).stream(QUESTION, _hits()))  # llama-index imports
        yield url, app


def _hits():
    chunks = {c.unit_id: c for c in corpus()}
    return [ScoredChunk(chunks[u], 1.0, {"dense": 0.9}) for u in ("2.2.LQ.18", "2.2.LQ.23")]


def _answerer(url: str, model: str, gate: LlmGate, first_token_s: float = 0.3) -> LlmAnswerer:
    client = OpenAILikeClient(url, model, "k", timeout_s=20.0, first_token_timeout_s=first_token_s)
    fallback = ExtractiveAnswerer("Sở Y tế", 0.35, evidence=EvidenceModel(w_dense=0.0, c0=0.3))
    return LlmAnswerer(client, fallback, gate=gate)


def test_slow_first_token_falls_back_to_extractive_quickly(server):
    url, _ = server
    gate = LlmGate(max_concurrent=2)
    started = time.perf_counter()
    items = list(_answerer(url, "slow", gate).stream(QUESTION, _hits()))  # server waits 1.5 s
    elapsed = time.perf_counter() - started
    assert elapsed < 1.2
    final = items[-1]
    assert isinstance(final, Answer) and final.answer.startswith("Theo Điều 18")
    assert gate.snapshot()["fallbacks"].get("timeout") == 1


def test_cpu_done_marker_comes_before_the_llm_call(server):
    url, _ = server
    items = list(_answerer(url, "good", LlmGate(2)).stream(QUESTION, _hits()))
    assert items[0] is CPU_DONE
    assert isinstance(items[-1], Answer) and items[-1].answer.endswith("[1].")


def test_llm_concurrency_bounded_others_get_extractive_at_once(server):
    url, _ = server
    gate = LlmGate(max_concurrent=1)
    slow = _answerer(url, "slow", gate, first_token_s=5.0)
    worker = threading.Thread(target=lambda: list(slow.stream(QUESTION, _hits())))
    worker.start()
    time.sleep(0.3)  # the slow call holds the only LLM slot
    started = time.perf_counter()
    final = list(_answerer(url, "good", gate).stream(QUESTION, _hits()))[-1]
    assert time.perf_counter() - started < 0.5
    assert final.answer.startswith("Theo Điều 18")  # extractive, not the LLM's "Theo quy định"
    assert gate.snapshot()["fallbacks"].get("busy") == 1
    worker.join(10)


def test_repeated_failures_mark_llm_degraded_then_skip_it(server):
    url, app = server
    gate = LlmGate(max_concurrent=2, cooldown_s=60.0)
    answerer = _answerer(url, "slow", gate, first_token_s=0.2)
    for _ in range(2):
        list(answerer.stream(QUESTION, _hits()))
    assert gate.degraded and gate.snapshot()["state"] == "degraded"
    before = len(app.state.requests)
    started = time.perf_counter()
    final = list(answerer.stream(QUESTION, _hits()))[-1]
    assert time.perf_counter() - started < 0.2  # circuit open: no wait for the dead LLM
    assert len(app.state.requests) == before
    assert final.answer.startswith("Theo Điều 18")
