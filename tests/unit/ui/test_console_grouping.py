"""Unanswered questions grouped by their normalised form; percentiles; the schema upgrade."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, text

from ui.console.analytics import group_unanswered, percentile
from ui.console.normalize import question_key
from ui.database import open_engine
from ui.storage_models import ExchangeRecord


def _record(question: str, at: str, refused: bool = True, route: str = "regulation",
            confidence: float = 0.1) -> ExchangeRecord:
    return ExchangeRecord("id-" + at, "c", "citizen", question, "…", route, refused, [], at,
                          confidence=confidence)


def test_question_key_folds_accents_expands_abbreviations_drops_stop_words():
    assert question_key("Lệ phí cấp GPHĐ là bao nhiêu?") == \
        question_key("le phi cap giay phep hoat dong bao nhieu")
    assert question_key("BHYT chi trả thế nào") == question_key("bảo hiểm y tế chi trả")
    assert question_key("lệ phí cấp giấy phép") != question_key("thời hạn giấy phép")


def test_group_unanswered_merges_paraphrases_newest_and_most_frequent_first():
    records = [
        _record("Lệ phí nuôi chó là bao nhiêu?", "2026-12-01T08:00:00+00:00"),
        _record("le phi nuoi cho bao nhieu", "2026-12-02T08:00:00+00:00"),
        _record("Nuôi chó lệ phí thế nào ạ?", "2026-12-03T08:00:00+00:00", refused=False,
                confidence=0.4),
        _record("Giờ làm việc của Sở ngày thứ bảy", "2026-12-04T08:00:00+00:00"),
        _record("Xin chào", "2026-12-04T09:00:00+00:00", route="greeting"),
        _record("Tình trạng hồ sơ ABC", "2026-12-04T09:00:00+00:00", route="dossier_status"),
        _record("Điều kiện cấp phép", "2026-12-04T10:00:00+00:00", refused=False,
                confidence=0.9),
    ]
    groups = group_unanswered(records)
    assert [g.count for g in groups] == [3, 1]
    assert groups[0].question == "Nuôi chó lệ phí thế nào ạ?"  # the newest example
    assert (groups[0].refused, groups[0].low_confidence) == (2, 1)
    assert groups[1].question.startswith("Giờ làm việc")


def test_percentile_nearest_rank():
    assert percentile([], 50) == 0.0
    assert percentile([10, 20, 30, 40], 50) == 20
    assert percentile(list(range(1, 101)), 95) == 95


def test_schema_upgrade_adds_console_columns_to_an_old_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE exchanges (id VARCHAR(36) PRIMARY KEY, "
                          "conversation_id VARCHAR(64), audience VARCHAR(16), question TEXT, "
                          "answer TEXT, route VARCHAR(32), refused BOOLEAN, confidence FLOAT, "
                          "citations JSON, timings_ms JSON, created_at VARCHAR(32))"))
        conn.execute(text("INSERT INTO exchanges VALUES ('a','c','citizen','q','a','regulation',"
                          "0,0.9,'[]','{}','2026-01-01T00:00:00+00:00')"))
    engine.dispose()
    engine = open_engine(url)  # Alembic: stamped at the baseline, then upgraded
    columns = {c["name"] for c in inspect(engine).get_columns("exchanges")}
    assert {"channel", "latency_ms", "curated_id"} <= columns
    with engine.connect() as conn:
        assert conn.execute(text("SELECT channel, latency_ms FROM exchanges")).one() == ("", 0)
    engine.dispose()
