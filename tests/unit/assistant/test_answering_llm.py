"""The LLM answerer against a real OpenAI-protocol HTTP server on loopback: streamed tokens,
verified citations, and the extractive fallback on bad citations, timeouts and errors."""

from __future__ import annotations

import pytest
from support.assistant_corpus import corpus
from support.fake_llm_server import CONDENSED, running_server

from assistant.answering.evidence import EvidenceModel
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.llm import LlmAnswerer
from assistant.answering.llm_client import LlmError, OpenAILikeClient
from assistant.core.domain import CPU_DONE, Answer, ScoredChunk

QUESTION = "Mất thẻ bảo hiểm y tế thì được cấp lại trong trường hợp nào?"
CONTACT = "Sở Y tế 0269"


@pytest.fixture(scope="module")
def server():
    with running_server() as (url, app):
        yield url, app


def _hits():
    chunks = {c.unit_id: c for c in corpus()}
    return [ScoredChunk(chunks[u], 1.0, {"dense": 0.9}) for u in ("2.2.LQ.18", "2.2.LQ.23")]


def _answerer(url: str, model: str, timeout: float = 60.0) -> LlmAnswerer:
    client = OpenAILikeClient(url, model, "test-key", timeout_s=timeout)
    fallback = ExtractiveAnswerer(CONTACT, 0.35, evidence=EvidenceModel(w_dense=0.0, c0=0.3))
    return LlmAnswerer(client, fallback)


def test_llm_good_answer_streams_tokens_and_keeps_verified_citation(server):
    url, app = server
    items = list(_answerer(url, "good").stream(QUESTION, _hits()))
    assert items[0] is CPU_DONE  # the answer slot is released before the LLM call
    pieces, final = items[1:-1], items[-1]
    assert len(pieces) > 3 and all(isinstance(p, str) for p in pieces)
    assert isinstance(final, Answer) and not final.refused
    assert final.answer == "".join(pieces).strip()
    assert final.answer.endswith("[1].")
    assert [c.unit_id for c in final.citations] == ["2.2.LQ.18"]
    assert "llm" in final.timings_ms
    request = app.state.requests[-1]
    assert request["stream"] is True
    assert "[1] Điều 18 Luật Bảo hiểm y tế" in request["messages"][1]["content"]


def test_llm_citation_of_missing_passage_falls_back_to_extractive(server):
    url, _ = server
    answer = _answerer(url, "bad-cite").answer(QUESTION, _hits())
    assert "[9]" not in answer.answer
    assert answer.answer.startswith("Theo Điều 18 Luật Bảo hiểm y tế")  # the extractive answer
    assert answer.citations[0].unit_id == "2.2.LQ.18"


def test_llm_invented_fee_is_rejected(server):
    url, _ = server
    answer = _answerer(url, "invented").answer(QUESTION, _hits())
    assert "250.000" not in answer.answer


def test_llm_timeout_falls_back_without_raising(server):
    url, _ = server
    answer = _answerer(url, "slow", timeout=0.3).answer(QUESTION, _hits())
    assert not answer.refused and answer.answer.startswith("Theo Điều 18")


def test_llm_http_500_falls_back_without_raising(server):
    url, _ = server
    answer = _answerer(url, "error").answer(QUESTION, _hits())
    assert not answer.refused and answer.citations


def test_llm_unreachable_endpoint_falls_back():
    answer = _answerer("http://127.0.0.1:9/v1", "good", timeout=0.5).answer(QUESTION, _hits())
    assert answer.citations and not answer.refused


def test_llm_not_found_reply_becomes_refusal_with_contact(server):
    url, _ = server
    answer = _answerer(url, "not-found").answer(QUESTION, _hits())
    assert answer.refused and CONTACT in answer.answer


def test_llm_not_asked_when_evidence_is_weak(server):
    url, app = server
    before = len(app.state.requests)
    answer = _answerer(url, "good").answer("giá vé máy bay đi Hà Nội", _hits())
    assert answer.refused and len(app.state.requests) == before


def test_llm_client_non_streaming_chat_and_errors(server):
    url, _ = server
    assert OpenAILikeClient(url, "condense").chat([("user", "x")]) == CONDENSED
    with pytest.raises(LlmError):
        OpenAILikeClient(url, "error").chat([("user", "x")])


def test_llm_sees_the_status_note_of_a_provision_that_is_no_longer_current(server):
    url, app = server
    hits = _hits()
    hits[0].chunk.metadata["status_note"] = "Lưu ý: Điều 18 đã được sửa đổi, bổ sung bởi Luật số 51/2024/QH15"
    try:
        list(_answerer(url, "good").stream(QUESTION, hits))
    finally:
        del hits[0].chunk.metadata["status_note"]
    context = app.state.requests[-1]["messages"][1]["content"]
    assert "(Lưu ý: Điều 18 đã được sửa đổi, bổ sung bởi Luật số 51/2024/QH15)" in context
