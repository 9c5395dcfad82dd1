"""Citation verification of LLM answers."""

from __future__ import annotations

from assistant.answering.verify import renumber, verify_answer

PASSAGES = [
    "Thẻ bảo hiểm y tế được cấp lại trong trường hợp bị mất. Trong thời hạn 7 ngày làm việc tổ chức bảo hiểm y tế phải cấp lại thẻ.",
    "Khám sức khỏe không được hưởng bảo hiểm y tế.",
]


def test_verify_accepts_supported_cited_sentences():
    check = verify_answer("Thẻ bảo hiểm y tế bị mất được cấp lại trong 7 ngày làm việc [1].", PASSAGES)
    assert check.ok and check.cited == [1]


def test_verify_rejects_missing_passage_number():
    check = verify_answer("Thẻ bảo hiểm y tế bị mất được cấp lại [3].", PASSAGES)
    assert not check.ok


def test_verify_rejects_answers_without_citations():
    assert not verify_answer("Thẻ bảo hiểm y tế bị mất được cấp lại trong 7 ngày.", PASSAGES).ok


def test_verify_rejects_sentence_not_supported_by_cited_passage():
    check = verify_answer("Khám sức khỏe không được hưởng bảo hiểm y tế [1].", PASSAGES)
    assert not check.ok
    assert verify_answer("Khám sức khỏe không được hưởng bảo hiểm y tế [2].", PASSAGES).ok


def test_verify_rejects_numbers_absent_from_cited_passages():
    check = verify_answer("Thẻ bảo hiểm y tế bị mất được cấp lại trong 15 ngày làm việc [1].", PASSAGES)
    assert not check.ok and any("15" in p for p in check.problems)


def test_verify_rejects_trailing_uncited_claim():
    answer = "Thẻ bảo hiểm y tế bị mất được cấp lại [1]. Ngoài ra phải nộp phí cấp lại thẻ rất cao."
    assert not verify_answer(answer, PASSAGES).ok


def test_renumber_orders_citations_by_first_use():
    assert renumber("a [3]. b [1][3].", [3, 1]) == "a [1]. b [2][1]."
