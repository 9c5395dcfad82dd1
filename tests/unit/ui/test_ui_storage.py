from __future__ import annotations

import pytest

from assistant.core.domain import Answer, Citation
from assistant.core.errors import NotFoundError
from ui.storage import SqlStorage


@pytest.fixture
def storage(database_url):
    s = SqlStorage(database_url)
    yield s
    s.close()


def _answer(route: str = "regulation") -> Answer:
    cite = Citation("45.4.LQ.13", "105/2016/QH13", "Luật Dược", "Điều 13", 2, "/a.html", "trích")
    return Answer("Trả lời [1]", [cite], route, False, 0.8, {"total": 12.0})


def test_storage_saves_conversation_in_order(storage):
    first = storage.save_exchange("c1", "citizen", "câu một", _answer())
    storage.save_exchange("c1", "citizen", "câu hai", _answer())
    storage.save_exchange("c2", "staff", "khác", _answer())
    rows = storage.conversation("c1")
    assert [r.question for r in rows] == ["câu một", "câu hai"]
    assert rows[0].answer_id == first
    assert rows[0].citations[0]["unit_id"] == "45.4.LQ.13"


def test_storage_feedback_keeps_cited_units(storage):
    answer_id = storage.save_exchange("c1", "citizen", "hỏi", _answer())
    record = storage.add_feedback(answer_id, "down", "thiếu điều khoản")
    assert record.cited_units == ["45.4.LQ.13"]
    assert storage.list_feedback()[0].comment == "thiếu điều khoản"


def test_storage_feedback_unknown_answer_is_not_found(storage):
    with pytest.raises(NotFoundError):
        storage.add_feedback("khong-co", "up")


def test_storage_redacts_verification_digits_of_dossier_questions(storage):
    storage.save_exchange("c1", "citizen", "hồ sơ 000.00.21.H21-251120-0001 số 1234",
                          _answer("dossier_status"))
    question = storage.conversation("c1")[0].question
    assert "1234" not in question
    assert "000.00.21.H21-251120-0001" in question


@pytest.mark.parametrize("form", ["0814.507.890", "0814-507-890", "0814 507 890", "…7890."])
def test_storage_masks_phone_forms_next_to_a_dossier_code(storage, form):
    # issue 12 #3: these forms were stored in clear next to the code
    question = f"hồ sơ 000.00.21.H21-251120-0001 số điện thoại {form}"
    storage.save_exchange("c2", "citizen", question, _answer("dossier_status"))
    stored = storage.conversation("c2")[0].question
    assert "000.00.21.H21-251120-0001" in stored
    assert "7890" not in stored and "507" not in stored.replace("0001", "")


def test_storage_masks_personal_numbers_on_every_route(storage):
    storage.save_exchange("c3", "citizen", "tôi sđt 0912 345 678, CCCD 064085119012 hỏi lệ phí",
                          _answer("regulation"))
    stored = storage.conversation("c3")[0].question
    assert "345" not in stored and "064085119012" not in stored
    assert "lệ phí" in stored


def test_storage_masks_feedback_comments(storage):
    answer_id = storage.save_exchange("c4", "citizen", "lệ phí", _answer("regulation"))
    record = storage.add_feedback(answer_id, "down", "gọi lại cho tôi 0912.345.678")
    assert "345" not in record.comment


def test_storage_audit_log_newest_first(storage):
    storage.record_lookup("1.2.3.4", "CODE-1", "ok")
    storage.record_lookup("1.2.3.5", "CODE-2", "not_found_or_mismatch")
    rows = storage.recent_audit()
    assert [r.code for r in rows] == ["CODE-2", "CODE-1"]
    assert storage.ping()


def test_sql_audit_sink_records_connector_events(storage):
    from connectors.audit import AuditEvent, AuditSink
    from ui.storage import SqlAuditSink

    sink = SqlAuditSink(storage)
    assert isinstance(sink, AuditSink)
    sink.record(AuditEvent("2025-11-20T08:00:00+00:00", "9.9.9.9", "000.00.21.H21-251120-0001",
                           "not_found_or_mismatch", "phone_last4", 12.5))
    row = storage.recent_audit()[0]
    assert (row.ts, row.client_id, row.outcome) == (
        "2025-11-20T08:00:00+00:00", "9.9.9.9", "not_found_or_mismatch")
