"""The chat service: one Answer object with timings, audiences, routing, multi-turn."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from support.fake_llm_server import CONDENSED, running_server

from assistant.answering.evidence import EvidenceModel
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.llm_client import OpenAILikeClient
from assistant.conversation import ConversationState, InMemoryConversationStore, Turn, carry_topic, is_follow_up
from assistant.dialogue import StandardDialogue
from assistant.core.domain import Answer
from assistant.answering.condenser import make_condenser
from assistant.service import RagChatService, audience_filter

CONTACT = "Sở Y tế 0269"


@dataclass
class Decision:
    route: str
    confidence: float = 0.9
    dossier_code: str = ""
    verification: str = ""


def _service(retriever, **kw) -> RagChatService:
    answerer = ExtractiveAnswerer(CONTACT, 0.35, evidence=EvidenceModel(w_dense=0.0, c0=0.3))
    return RagChatService(retriever, answerer, **kw)


def test_service_ask_returns_cited_answer_with_stage_timings(retriever):
    answer = _service(retriever).ask("Mất thẻ bảo hiểm y tế thì bao lâu được cấp lại?")
    assert not answer.refused and answer.citations[0].unit_id == "2.2.LQ.18"
    assert {"route", "understand", "retrieve", "answer", "total"} <= set(answer.timings_ms)
    assert answer.timings_ms["total"] >= answer.timings_ms["retrieve"]


def test_service_ask_stream_yields_text_then_the_answer(retriever):
    items = list(_service(retriever).ask_stream("Mất thẻ bảo hiểm y tế thì bao lâu được cấp lại?"))
    assert isinstance(items[-1], Answer) and items[:-1] == [items[-1].answer]


def test_service_search_citizen_never_sees_staff_documents(retriever):
    service = _service(retriever)
    question = "quy trình nội bộ cấp lại thẻ bảo hiểm y tế cho cán bộ"
    assert "SYT.NB.1" not in [h.chunk.unit_id for h in service.search(question, audience="citizen")]
    assert "SYT.NB.1" in [h.chunk.unit_id for h in service.search(question, audience="staff")]
    assert audience_filter("anything-else").audiences == ("public",)


def test_service_search_filters_by_tthc_field(retriever):
    hits = _service(retriever).search("giấy phép hành nghề", audience="staff", fields=("Khám bệnh, chữa bệnh",))
    assert [h.chunk.unit_id for h in hits] == ["1.013614"]


def test_service_unknown_question_refused_with_contact(retriever):
    answer = _service(retriever).ask("Giá vé máy bay đi Hà Nội hôm nay là bao nhiêu?")
    assert answer.refused and CONTACT in answer.answer and answer.route == "out_of_scope"


def test_service_greeting_and_out_of_scope_go_to_the_dialogue(retriever):
    def router(message, state):
        return Decision("greeting") if "chào" in message else Decision("out_of_scope", 0.85)

    service = _service(retriever, router=router, dialogue=StandardDialogue(CONTACT))
    greeting = service.ask("Xin chào")
    assert greeting.route == "greeting" and not greeting.refused
    weather = service.ask("Thời tiết hôm nay thế nào?")
    assert weather.route == "out_of_scope" and weather.refused and CONTACT in weather.answer


def test_service_low_confidence_out_of_scope_still_searches_documents(retriever):
    service = _service(retriever, router=lambda m, s: Decision("out_of_scope", 0.4),
                       dialogue=StandardDialogue(CONTACT))
    answer = service.ask("Mất thẻ bảo hiểm y tế thì bao lâu được cấp lại?")
    assert not answer.refused and answer.citations


def test_service_dossier_route_uses_flow_and_keeps_its_state(retriever):
    calls = []

    def flow(message, decision, state, lookup, client_id):
        calls.append((message, state, lookup, client_id))
        return Answer("Vui lòng gửi mã hồ sơ.", [], "dossier_status", False, 1.0), "awaiting-code"

    service = _service(retriever, router=lambda m, s: Decision("dossier_status"),
                       dialogue=StandardDialogue(CONTACT, lookup="LOOKUP", dossier_handle=flow))
    service.ask("Hồ sơ của tôi đến đâu rồi?", conversation_id="c1", client_id="ip1")
    service.ask("000.00.21.H21-251120-0001", conversation_id="c1", client_id="ip1")
    assert calls[0][1:] == (None, "LOOKUP", "ip1") and calls[1][1] == "awaiting-code"


def test_service_router_failure_does_not_break_the_chat(retriever):
    def broken(message, state):
        raise RuntimeError("bug")

    answer = _service(retriever, router=broken, dialogue=StandardDialogue(CONTACT)).ask("thẻ bảo hiểm y tế bị mất")
    assert answer.citations


def test_conversation_follow_up_fee_answers_same_procedure(retriever):
    service = _service(retriever)
    first = service.ask("Thủ tục cấp mới giấy phép hành nghề khám bệnh chữa bệnh cần hồ sơ gì?", conversation_id="c")
    assert first.route == "tthc" and "Thành phần hồ sơ" in first.answer
    follow = service.ask("thế còn phí thì sao?", conversation_id="c")
    assert follow.route == "tthc" and follow.citations[0].unit_id == "1.013614"
    assert "Phí, lệ phí: Phí : 0 Đồng." in follow.answer and "Thành phần hồ sơ" not in follow.answer


def test_conversation_without_id_has_no_memory(retriever):
    service = _service(retriever)
    service.ask("Thủ tục cấp mới giấy phép hành nghề khám bệnh chữa bệnh cần hồ sơ gì?")
    service.ask("thế còn phí thì sao?", conversation_id="new")
    (turn,) = service.conversations.load("new").turns
    assert turn.standalone == "thế còn phí thì sao?"


def test_conversation_follow_up_detection():
    state = ConversationState([Turn("q", "Thủ tục cấp mới giấy phép hành nghề?", "a", "tthc", ["1.013614"])])
    assert is_follow_up("thế còn phí thì sao?", state)
    assert is_follow_up("the con le phi thi sao", state)
    assert is_follow_up("Nộp ở đâu?", state)
    assert not is_follow_up("Thẻ BHYT có giá trị sử dụng bao lâu?", state)
    assert not is_follow_up("thế còn phí thì sao?", ConversationState())
    standalone, units = carry_topic("thế còn phí thì sao?", state)
    assert "Thủ tục cấp mới giấy phép hành nghề?" in standalone and units == ["1.013614"]


def test_conversation_store_expires_and_bounds_conversations():
    store = InMemoryConversationStore(max_conversations=2, ttl_s=3600)
    for cid in ("a", "b", "c"):
        store.save(cid, ConversationState([Turn(cid, cid, cid, "regulation")]))
    assert store.load("a").turns == [] and store.load("c").turns[0].question == "c"
    expired = InMemoryConversationStore(ttl_s=-1)
    expired.save("x", ConversationState([Turn("x", "x", "x", "regulation")]))
    assert expired.load("x").turns == []


def test_conversation_condensed_by_llm_when_configured(retriever):
    with running_server() as (url, app):
        condenser = make_condenser(OpenAILikeClient(url, "condense", timeout_s=60))
        service = _service(retriever, condenser=condenser)
        service.ask("Thủ tục cấp mới giấy phép hành nghề khám bệnh chữa bệnh cần hồ sơ gì?", conversation_id="k")
        follow = service.ask("thế còn phí thì sao?", conversation_id="k")
    assert "CÂU HỎI TIẾP THEO: thế còn phí thì sao?" in app.state.requests[-1]["messages"][-1]["content"]
    assert service.conversations.load("k").turns[-1].standalone == CONDENSED
    assert "Phí, lệ phí" in follow.answer


def test_conversation_condenser_failure_carries_topic_forward(retriever):
    def broken(history, question):
        raise TimeoutError

    service = _service(retriever, condenser=broken)
    service.ask("Thủ tục cấp mới giấy phép hành nghề khám bệnh chữa bệnh cần hồ sơ gì?", conversation_id="z")
    follow = service.ask("thế còn phí thì sao?", conversation_id="z")
    assert follow.citations[0].unit_id == "1.013614"


def _llm_service(retriever, url, model):
    from assistant.answering.llm import LlmAnswerer

    answerer = ExtractiveAnswerer(CONTACT, 0.35, evidence=EvidenceModel(w_dense=0.0, c0=0.3))
    llm = LlmAnswerer(OpenAILikeClient(url, model, timeout_s=60), answerer)
    return RagChatService(retriever, answerer, llm=llm)


def test_service_with_llm_streams_tokens_then_verified_answer(retriever):
    with running_server() as (url, _):
        items = list(_llm_service(retriever, url, "good").ask_stream("Mất thẻ bảo hiểm y tế thì bao lâu được cấp lại?"))
    final = items[-1]
    assert isinstance(final, Answer) and len(items) > 3
    assert final.answer.endswith("[1].") and final.citations[0].unit_id == "2.2.LQ.18"
    assert {"retrieve", "answer", "llm", "total"} <= set(final.timings_ms)


def test_service_with_failing_llm_answers_extractively(retriever):
    with running_server() as (url, _):
        answer = _llm_service(retriever, url, "error").ask("Mất thẻ bảo hiểm y tế thì bao lâu được cấp lại?")
    assert not answer.refused and answer.answer.startswith("Theo Điều 18")
