import json
import unicodedata

import pytest

from assistant.core.errors import LoadError
from evals.datasets import detect_format, load_questions, unit_key


def _write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def test_load_questions_jsonl_reads_fields_and_defaults(tmp_path):
    path = _write_jsonl(tmp_path / "q.jsonl", [
        {"id": "h1", "kind": "staff", "question": "Điều kiện cấp chứng chỉ hành nghề dược?",
         "relevant": ["45.4.LQ.13"], "answer_facts": ["chứng chỉ"], "audience": "staff"},
        {"question": "Hồ sơ 000.00.21.H21-251120-0001 đến đâu rồi?", "kind": "dossier_status"},
        {"id": "o1", "kind": "out_of_scope", "question": "Giá vàng hôm nay?", "audience": "public"},
    ])
    first, second, third = load_questions(path)
    assert first.relevant == ("45.4.LQ.13",) and first.audience == "staff" and first.answerable
    assert second.id == "q2" and second.route == "dossier_status" and not second.answerable
    assert third.audience == "citizen" and third.route == "out_of_scope" and not third.answerable


def test_load_questions_jsonl_names_the_bad_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"question": "a"}\n{not json}\n', encoding="utf-8")
    with pytest.raises(LoadError, match="2"):
        load_questions(path)


def test_load_questions_alqac_maps_articles_to_unit_ids(tmp_path):
    law = unicodedata.normalize("NFD", "Luật Phòng, chống ma túy")
    path = tmp_path / "train.json"
    path.write_text(json.dumps([{
        "question_id": "01-DS-1", "question_type": "Đúng/Sai", "text": "Câu hỏi?",
        "relevant_articles": [{"law_id": law, "article_id": "32", "id": "LPCMT-32"}],
        "answer": "Đúng",
    }], ensure_ascii=False), encoding="utf-8")
    (q,) = load_questions(path)
    assert detect_format(path) == "alqac"
    assert q.relevant == (unit_key("Luật Phòng, chống ma túy", "32"),)
    assert q.relevant[0] == unicodedata.normalize("NFC", "Luật Phòng, chống ma túy#32")
    assert q.kind == "Đúng/Sai" and q.id == "01-DS-1"


def test_load_questions_entailment_uses_legal_passages(tmp_path):
    path = tmp_path / "train.json"
    path.write_text(json.dumps([{
        "example_id": "x1", "label": "No", "statement": "Người dưới 16 tuổi được xem phim T18",
        "legal_passages": [{"law_id": "Luật Điện ảnh 2022", "article_id": "32"}],
    }], ensure_ascii=False), encoding="utf-8")
    (q,) = load_questions(path)
    assert detect_format(path) == "entailment"
    assert q.kind == "entailment" and q.relevant == ("Luật Điện ảnh 2022#32",)


def test_load_questions_missing_file_raises_load_error(tmp_path):
    with pytest.raises(LoadError):
        load_questions(tmp_path / "none.jsonl")
