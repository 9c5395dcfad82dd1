"""The extractive answerer: grounded quotes, numbered citations, TTHC fields, refusal."""

from __future__ import annotations

from support.assistant_corpus import LUAT_DUOC, TTHC_RECORD, corpus

from assistant.answering.citations import citation_label, format_sources, make_citation
from assistant.answering.evidence import EvidenceModel
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.core.domain import ScoredChunk

CONTACT = "Văn phòng Sở Y tế — 0269 3824 118"
LENIENT = EvidenceModel(w_dense=0.0, c0=0.3)  # fake embeddings: judge on coverage only


def _chunk(unit: str):
    return next(c for c in corpus() if c.unit_id == unit)


def _hits(*units: str, dense: float = 0.9):
    return [ScoredChunk(_chunk(u), 1.0 / (i + 1), {"dense": dense}) for i, u in enumerate(units)]


def _answerer(threshold: float = 0.35) -> ExtractiveAnswerer:
    return ExtractiveAnswerer(CONTACT, threshold, evidence=LENIENT)


def test_citation_label_names_article_law_number_and_phapdien_id():
    label = citation_label(_chunk("45.4.LQ.13"))
    assert label == "Điều 13 Luật Dược số 105/2016/QH13 (Pháp điển 45.4.LQ.13)"


def test_citation_label_for_a_procedure_names_code_and_procedure():
    label = citation_label(_chunk("1.013614"))
    assert label.startswith("Thủ tục 1.013614 — Thủ tục cấp mới giấy phép hành nghề")
    assert label.endswith("(Cơ sở dữ liệu quốc gia về TTHC)")


def test_citation_label_marks_a_demo_procedure_as_demo():
    from dataclasses import replace

    chunk = _chunk("1.013614")
    record = {**chunk.metadata["tthc"], "code": "DEMO.000003"} if "tthc" in chunk.metadata else None
    demo = replace(chunk, unit_id="DEMO.000003",
                   metadata={**chunk.metadata, **({"tthc": record} if record else {})})
    label = citation_label(demo)
    assert "DEMO.000003" in label and "DEMO, không phải CSDL quốc gia" in label
    assert "(Cơ sở dữ liệu quốc gia" not in label


def test_citation_carries_stable_unit_id_and_document_number():
    citation = make_citation(_chunk("2.2.LQ.18"), "quote")
    assert (citation.unit_id, citation.document_number, citation.quote) == ("2.2.LQ.18", "25/2008/QH12", "quote")
    assert format_sources([citation]) == "[1] Điều 18 Luật Bảo hiểm y tế số 25/2008/QH12 (Pháp điển 2.2.LQ.18)"


def test_extractive_answer_quotes_the_matching_clause_with_marker():
    question = "Mất thẻ bảo hiểm y tế thì bao lâu được cấp lại?"
    answer = _answerer().answer(question, _hits("2.2.LQ.18", "45.4.LQ.13"))
    assert not answer.refused and answer.route == "regulation"
    assert "7 ngày làm việc" in answer.answer
    assert answer.answer.startswith("Theo Điều 18 Luật Bảo hiểm y tế số 25/2008/QH12 [1]")
    assert [c.unit_id for c in answer.citations] == ["2.2.LQ.18"]
    assert answer.citations[0].quote in _chunk("2.2.LQ.18").text


def test_extractive_answer_every_quote_is_verbatim_source_text():
    answer = _answerer().answer("điều kiện cấp chứng chỉ hành nghề dược", _hits("45.4.LQ.13", "45.4.LQ.24"))
    for citation in answer.citations:
        source = _chunk(citation.unit_id).text
        assert all(line.rstrip(" …") in source for line in citation.quote.splitlines())


def test_extractive_keeps_list_items_with_their_introduction():
    answer = _answerer().answer("điều kiện cấp chứng chỉ hành nghề dược là gì", _hits("45.4.LQ.13"))
    assert "1. Có văn bằng chuyên môn" in answer.answer and "2. Có thời gian thực hành" in answer.answer


def test_extractive_refuses_weak_evidence_with_contact():
    answer = _answerer().answer("giá vé máy bay đi Hà Nội là bao nhiêu", _hits("45.4.LQ.13"))
    assert answer.refused and answer.citations == [] and answer.route == "out_of_scope"
    assert CONTACT in answer.answer


def test_extractive_refuses_when_nothing_was_retrieved():
    assert _answerer().answer("điều kiện cấp chứng chỉ hành nghề dược", []).refused


def test_extractive_threshold_is_applied():
    hits = _hits("2.2.LQ.18")
    question = "thẻ bảo hiểm y tế bị mất"
    assert not _answerer(threshold=0.1).answer(question, hits).refused
    assert _answerer(threshold=0.999).answer(question, hits).refused


def test_extractive_procedure_answer_lists_components_from_the_record():
    answer = _answerer().answer("Cấp mới giấy phép hành nghề khám bệnh chữa bệnh cần hồ sơ gì?", _hits("1.013614"), "tthc")
    assert answer.route == "tthc"
    assert "- Đơn đề nghị cấp mới giấy phép hành nghề (Bản chính: 1)" in answer.answer
    assert "Phí" not in answer.answer  # only what was asked
    assert answer.citations[0].unit_id == "1.013614"
    assert answer.citations[0].article_path == "Thành phần hồ sơ"


def test_extractive_procedure_fee_and_time_copied_from_record():
    answer = _answerer().answer("thủ tục cấp mới giấy phép hành nghề khám bệnh chữa bệnh lệ phí bao nhiêu, mất bao lâu", _hits("1.013614"), "tthc")
    assert "Phí, lệ phí: Phí : 0 Đồng." in answer.answer
    assert "Thời hạn giải quyết: 30 Ngày." in answer.answer


def test_extractive_procedure_general_question_gets_summary_with_basis():
    answer = _answerer().answer("thủ tục cấp mới giấy phép hành nghề khám bệnh chữa bệnh", _hits("1.013614"), "tthc")
    for part in ("Thành phần hồ sơ:", "Thời hạn giải quyết", "Phí, lệ phí", "276 Nghi Tàm", "16/2024/NĐ-CP"):
        assert part in answer.answer


def test_extractive_procedure_missing_field_is_reported_not_invented():
    record = {**TTHC_RECORD, "channels": []}
    chunk = _chunk("1.013614")
    chunk.metadata = {**chunk.metadata, "tthc": record}
    answer = _answerer().answer("thủ tục cấp mới giấy phép hành nghề lệ phí bao nhiêu", [ScoredChunk(chunk, 1.0, {"dense": 0.9})], "tthc")
    assert "chưa có thông tin" in answer.answer
    assert "Đồng" not in answer.answer


def test_extractive_focus_decides_procedure_aspect_for_follow_ups():
    answer = _answerer().answer(
        "thế còn phí thì sao (thủ tục cấp mới giấy phép hành nghề cần hồ sơ gì)", _hits("1.013614"), "tthc",
        focus="thế còn phí thì sao?",
    )
    assert "Phí, lệ phí" in answer.answer and "Thành phần hồ sơ" not in answer.answer


def test_extractive_document_name_without_legal_source_uses_chunk_fields():
    chunk = _chunk("45.4.LQ.24")
    chunk.metadata = {}
    chunk.article_label = "Điều 24"
    label = citation_label(chunk)
    assert label == f"Điều 24 {LUAT_DUOC['document_type']} {LUAT_DUOC['title']} số 105/2016/QH13 (Pháp điển 45.4.LQ.24)"


def test_extractive_short_article_is_quoted_whole():
    answer = _answerer().answer("Mất thẻ bảo hiểm y tế thì ai cấp lại?", _hits("2.2.LQ.18"))
    assert answer.citations[0].quote == _chunk("2.2.LQ.18").text


def test_extractive_named_article_is_quoted_from_its_beginning_with_its_title():
    chunk = _chunk("45.4.LQ.13")
    chunk.metadata = {**chunk.metadata, "heading": "Điều 45.4.LQ.13. Điều kiện cấp Chứng chỉ hành nghề dược"}
    hit = ScoredChunk(chunk, 3.0, {"dense": 0.9, "boost": 2.0})
    answer = ExtractiveAnswerer(CONTACT, 0.35, evidence=LENIENT, whole_chars=10).answer("Điều 13 Luật Dược quy định gì?", [hit])
    assert answer.answer.startswith(
        "Theo Điều 13 Luật Dược số 105/2016/QH13 (Điều kiện cấp Chứng chỉ hành nghề dược) [1]:\nĐiều kiện cấp"
    )


def test_citation_label_collapses_repeated_document_type():
    chunk = _chunk("2.2.LQ.18")
    chunk.metadata = {"legal_source": {"document_number": "44/2019/QH14", "document_type": "Luật",
                                       "title": "Luật Luật phòng, chống tác hại của rượu, bia", "original_article": "Điều 19"}}
    assert citation_label(chunk).startswith("Điều 19 Luật phòng, chống tác hại của rượu, bia số 44/2019/QH14")
