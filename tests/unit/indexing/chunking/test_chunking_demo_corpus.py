"""The demo corpus (corpus/demo): marked as DEMO, small, in the national TTHC schema, and with a
legal structure the chunker recognises."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.core.domain import Document, Section
from assistant.core.settings import DEMO_CORPUS_DIR
from fakes.chunking import WordCounter
from indexing.chunking import chunk_document

BANNER = "TÀI LIỆU MẪU (DEMO) — không phải văn bản chính thức"
MARKDOWN = sorted(p for p in DEMO_CORPUS_DIR.glob("*.md") if p.name != "README.md")
RECORDS = sorted((DEMO_CORPUS_DIR / "tthc").glob("*.json"))
AMENDING = DEMO_CORPUS_DIR / "luat-bhyt-2024-sua-doi-muc-huong.md"  # a short amending guide
SCHEMA = {
    "metadata": {"mã_thủ_tục", "tên_thủ_tục", "số_quyết_định", "cấp_thực_hiện", "loại_thủ_tục",
                 "lĩnh_vực"},
    "content": {"trình_tự_thực_hiện", "cách_thức_thực_hiện", "đối_tượng_thực_hiện",
                "cơ_quan_thực_hiện", "cơ_quan_có_thẩm_quyền", "cơ_quan_được_ủy_quyền",
                "cơ_quan_phối_hợp", "địa_chỉ_tiếp_nhận_hs", "kết_quả_thực_hiện",
                "yêu_cầu_điều_kiện_thực_hiện", "từ_khóa", "mô_tả"},
}
TABLES = {
    "hinh_thuc_nop": {"hinh_thuc", "thoi_han_giai_quyet", "phi_le_phi", "mo_ta"},
    "thanh_phan_ho_so": {"ten_giay_to", "so_luong", "ghi_chu"},
    "can_cu_phap_ly": {"so_ky_hieu", "trich_yeu", "ngay_ban_hanh", "co_quan_ban_hanh"},
}


def test_demo_corpus_is_complete_small_and_marked() -> None:
    assert len(MARKDOWN) == 4 and len(RECORDS) == 4
    files = [p for p in DEMO_CORPUS_DIR.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 60_000
    for path in MARKDOWN + [DEMO_CORPUS_DIR / "README.md"]:
        top = path.read_text(encoding="utf-8").splitlines()[:3]
        assert BANNER in "\n".join(top), path.name
    for path in RECORDS:
        record = json.loads(path.read_text(encoding="utf-8"))
        assert next(iter(record)) == "_ghi_chu" and BANNER in record["_ghi_chu"]
        assert record["thu_tuc_id"].startswith("DEMO.") and path.stem == record["thu_tuc_id"]


def test_demo_sidecars_mark_the_staff_procedure_and_give_demo_numbers() -> None:
    sidecars = {
        p.name.removesuffix(".meta.json"): json.loads(p.read_text(encoding="utf-8"))
        for p in DEMO_CORPUS_DIR.glob("*.meta.json")
    }
    assert set(sidecars) == {p.name for p in MARKDOWN}
    staff = {name for name, meta in sidecars.items() if meta.get("audience") == "staff"}
    assert staff == {"quy-trinh-tiep-nhan-ho-so-mot-cua.md"}
    for name, meta in sidecars.items():
        text = (DEMO_CORPUS_DIR / name).read_text(encoding="utf-8")
        assert meta["document_number"].startswith("DEMO-")
        assert f"Số: {meta['document_number']}" in text  # the header says the same number


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.stem)
def test_demo_tthc_records_follow_the_national_schema(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    for part, keys in SCHEMA.items():
        assert set(record[part]) == keys
    assert record["metadata"]["mã_thủ_tục"] == record["thu_tuc_id"]
    for table, keys in TABLES.items():
        assert record["tables"][table], table
        assert all(set(row) == keys for row in record["tables"][table])
    assert "Trung tâm Phục vụ hành chính công tỉnh" in record["content"]["địa_chỉ_tiếp_nhận_hs"]


def test_demo_tthc_schema_matches_the_real_export(shared_data: Path) -> None:
    real = json.loads((shared_data / "tthc_csdlqg_sample" / "1.013614.json").read_text("utf-8"))
    demo = json.loads(RECORDS[0].read_text(encoding="utf-8"))
    assert set(demo) - {"_ghi_chu"} == set(real)
    for part in ("metadata", "content", "tables"):
        assert set(demo[part]) == set(real[part])


@pytest.mark.parametrize("path", [p for p in MARKDOWN if p != AMENDING], ids=lambda p: p.stem)
def test_demo_regulations_have_legal_structure(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    number = re.search(r"Số: (DEMO-\S+)", text)
    assert number
    document = Document(doc_id=path.stem, source=str(path), format="text", title=path.stem,
                        sections=[Section(text=text)], document_number=number.group(1))
    counter = WordCounter(512)
    chunks = chunk_document(document, "h", counter)
    articles = [c for c in chunks if c.article_label.startswith("Điều ")]
    numbers = [int(c.article_label.split()[1]) for c in articles]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 8
    assert all(c.article_path.startswith("Chương ") for c in articles)
    assert chunks[0].unit_id == f"{number.group(1)}#preamble"
    assert BANNER in chunks[0].text
    with_points = [c for c in articles if re.search(r"^a\) ", c.text, re.M)]
    assert with_points  # Điểm a), b) … inside a Khoản
    small = chunk_document(document, "h", WordCounter(64))
    assert any("› Khoản" in c.article_path for c in small)
    assert max(WordCounter(64).count_tokens(c.embed_text) for c in small) <= 64


def test_demo_amending_guide_quotes_the_new_article_inside_its_own_article_1() -> None:
    text = AMENDING.read_text(encoding="utf-8")
    document = Document(doc_id="amending", source=str(AMENDING), format="text", title="x",
                        sections=[Section(text=text)], document_number="DEMO-04/2025/HD-SYT")
    articles = [c for c in chunk_document(document, "h", WordCounter(512)) if c.article_label.startswith("Điều ")]
    assert [c.article_label for c in articles] == ["Điều 1", "Điều 2"]  # the quoted text opens no article
    assert "Sửa đổi, bổ sung Điều 7" in articles[0].text and "50% chi phí điều trị ngoại trú" in articles[0].text
