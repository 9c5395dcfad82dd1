"""TTHC export records and ALQAC law corpora."""

from __future__ import annotations

import json
import unicodedata

import pytest

from assistant.core.errors import LoadError
from assistant.core.ids import document_id
from indexing.loaders.alqac import AlqacLoader
from indexing.loaders.tthc import TthcLoader
from indexing.loaders.tthc_fields import fee_text, split_steps


@pytest.fixture(scope="module")
def record(loader_fixtures):
    (document,) = TthcLoader().load(loader_fixtures / "tthc_9.000001.json")
    return document


def test_tthc_loader_document_identity(record, loader_fixtures):
    assert record.title == "Thủ tục cấp lại giấy phép hành nghề khám bệnh, chữa bệnh"
    assert record.document_number == "9.000001"
    assert record.doc_id == document_id(str((loader_fixtures / "tthc_9.000001.json").resolve()))
    (section,) = record.sections
    assert section.unit_id == "9.000001"
    assert section.path == ("Khám bệnh, chữa bệnh",)


def test_tthc_loader_structured_fields_have_english_keys_and_nfc(record):
    rec = record.sections[0].metadata["tthc"]
    assert rec["field"] == "Khám bệnh, chữa bệnh"
    assert rec["level"] == "Cấp Tỉnh"
    assert rec["decision"] == "Quyết định số 123/QĐ-BYT"
    assert rec["competent_agency"] == "" and rec["requirements"] == ""  # "Không có thông tin"
    assert unicodedata.is_normalized("NFC", json.dumps(rec, ensure_ascii=False))


def test_tthc_loader_splits_steps(record):
    steps = record.sections[0].metadata["tthc"]["steps"]
    assert [s.split(".")[0].split(":")[0] for s in steps] == ["Bước 1", "Bước 2", "Bước 3"]
    assert "Trường hợp hồ sơ chưa hợp lệ" in steps[1]


def test_tthc_loader_channels_with_time_limit_and_fee(record):
    direct, online = record.sections[0].metadata["tthc"]["channels"]
    assert direct == {
        "channel": "Trực tiếp", "time_limit": "10 Ngày làm việc", "fee": "Phí: 150.000 Đồng",
        "description": "Nộp tại bộ phận một cửa.",
    }  # fmt: skip
    assert online["fee"] == ""  # "Lệ phí :  Đồng" states no amount


def test_tthc_loader_groups_components_by_case(record):
    components = record.sections[0].metadata["tthc"]["components"]
    assert [c["case"] for c in components] == ["Trường hợp 1"] * 3 + ["Trường hợp 2"] * 3
    assert components[0]["copies"] == "" and components[0]["form"] == "Mau01.docx, Mau02.docx"
    assert components[2] == {
        "name": "b) Hai ảnh chân dung 04 cm x 06 cm.", "copies": "Bản chính: 2, Bản sao: 0",
        "form": "", "case": "Trường hợp 1",
    }  # fmt: skip


def test_tthc_loader_legal_basis(record):
    basis = record.sections[0].metadata["tthc"]["legal_basis"]
    assert [b["number"] for b in basis] == ["15/2023/QH15", "96/2023/NĐ-CP", "32/2023/TT-BYT"]
    assert basis[0]["date"] == "2023-01-09" and basis[0]["issuer"] == "Quốc Hội"
    assert basis[1]["issuer"] == "Chính phủ"  # inferred from the number's agency code


def test_tthc_loader_text_renders_the_record(record):
    text = record.sections[0].text
    assert "Mã thủ tục: 9.000001" in text
    assert "Cách thức nộp - Trực tiếp: thời hạn giải quyết: 10 Ngày làm việc" in text
    assert "- a) Đơn đề nghị cấp lại theo Mẫu 01; (Bản chính: 1, Bản sao: 0)" in text


def test_tthc_loader_rejects_json_without_record(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"thu_tuc_id": "1", "tables": {}}', encoding="utf-8")
    with pytest.raises(LoadError, match="TTHC"):
        list(TthcLoader().load(path))


def test_split_steps_separates_numbered_cases():
    text = (
        "Trường hợp 1: Cấp mới\nBước 1. Nộp hồ sơ. Bước 2. Nhận kết quả. "
        "2. Trường hợp 2: Cấp lại\nBước 1. Nộp đơn."
    )
    assert split_steps(text) == [
        "Trường hợp 1: Cấp mới", "Bước 1. Nộp hồ sơ.", "Bước 2. Nhận kết quả.",
        "2. Trường hợp 2: Cấp lại", "Bước 1. Nộp đơn.",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Phí : 0 Đồng", "Phí: 0 Đồng"), ("Phí :  Đồng", ""), ("", ""),
     ("Lệ phí : 1.5 USD", "Lệ phí: 1.5 USD")],
)  # fmt: skip
def test_fee_text_normalises_label_and_empty_amounts(raw, expected):
    assert fee_text(raw) == expected


def test_alqac_loader_one_document_per_law(loader_fixtures):
    path = loader_fixtures / "alqac_law.json"
    documents = list(AlqacLoader().load(path))
    assert [d.title for d in documents] == ["Luật Thử nghiệm", "Bộ luật Mẫu"]
    assert documents[0].doc_id == document_id(f"{path.resolve()}#Luật Thử nghiệm")
    assert documents[0].doc_id != documents[1].doc_id
    assert [d.document_type for d in documents] == ["Luật", "Bộ luật"]


def test_alqac_loader_sections_carry_gold_keys_and_headings(loader_fixtures):
    law = next(AlqacLoader().load(loader_fixtures / "alqac_law.json"))
    first, second, single = law.sections
    assert first.unit_id == "Luật Thử nghiệm#1"
    assert first.heading == "Điều 1. Phạm vi điều chỉnh"
    assert first.text == "Luật này quy định về thử nghiệm."
    assert second.text.startswith("1. Hòa giải")  # NFD input, old tone mark
    assert single.text == "Điều khoản chỉ có một dòng"
    assert first.source.original_article == "Điều 1"


def test_alqac_loader_rejects_wrong_shape(tmp_path):
    path = tmp_path / "law.json"
    path.write_text('[{"id": "Luật A", "articles": "không phải danh sách"}]', encoding="utf-8")
    with pytest.raises(LoadError, match="articles"):
        list(AlqacLoader().load(path))
