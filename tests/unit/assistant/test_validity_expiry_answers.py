"""End to end over documents the test writes: a temporary decision that applies "đến hết ngày
31/12/2025" by its own words is labelled as no longer applying after that date (and as the rule of
the past when asked about the past); a control document without an end date stays in force."""

from __future__ import annotations

from pathlib import Path

from fakes.embedder import FakeEmbedder
from fakes.retrieval import FakeSparseEncoder, FakeStore

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.retrieval import HybridRetriever, RetrievalConfig
from assistant.service import RagChatService
from assistant.validity import ValidityPolicy
from indexing.cache import TextCache
from indexing.manifest import Manifest, ManifestGate
from indexing.pipeline import Indexer
from indexing.validity.book import ManifestStatusBook

TODAY = "2026-01-10"
TEMPORARY = """SỞ Y TẾ THỬ NGHIỆM
Số: 88/2025/QĐ-TEST
Hà Nội, ngày 20 tháng 01 năm 2025

QUYẾT ĐỊNH
Về mức hỗ trợ tạm thời tiền ăn cho người bệnh sốt xuất huyết

Điều 1. Mức hỗ trợ tiền ăn
Người bệnh sốt xuất huyết điều trị nội trú được hỗ trợ tiền ăn 45.000 đồng mỗi ngày.

Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày 01 tháng 02 năm 2025 và có hiệu lực đến hết ngày 31/12/2025.
"""
CONTROL = """SỞ Y TẾ THỬ NGHIỆM
Số: 89/2025/QĐ-TEST
Hà Nội, ngày 20 tháng 01 năm 2025

QUYẾT ĐỊNH
Về lệ phí cấp bản sao chứng chỉ hành nghề

Điều 1. Lệ phí cấp bản sao
Lệ phí cấp bản sao chứng chỉ hành nghề khám bệnh, chữa bệnh là 60.000 đồng mỗi bản.

Điều 2. Hiệu lực thi hành
Quyết định này có hiệu lực kể từ ngày 01 tháng 02 năm 2025.
"""
MEAL = "Mức hỗ trợ tiền ăn cho người bệnh sốt xuất huyết điều trị nội trú là bao nhiêu?"


def build(tmp_path: Path, today: str = TODAY) -> tuple[RagChatService, Indexer]:
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "qd-88-2025-tam-thoi.txt").write_text(TEMPORARY, encoding="utf-8")
    (folder / "qd-89-2025-le-phi.txt").write_text(CONTROL, encoding="utf-8")
    embedder, sparse, store = FakeEmbedder(), FakeSparseEncoder(), FakeStore()
    manifest = Manifest(tmp_path / "manifest.sqlite")
    indexer = Indexer(embedder=embedder, sparse=sparse, store=store, manifest=manifest,
                      cache=TextCache(tmp_path / "cache.sqlite", "dense:test"))  # fmt: skip
    assert not indexer.index_paths([folder]).failed
    indexer.refresh_statuses(today)
    retriever = HybridRetriever(
        embedder, sparse, store, gate=ManifestGate(manifest), config=RetrievalConfig(mode="hybrid"),
        validity=ValidityPolicy(ManifestStatusBook(manifest), today=lambda: today),
    )
    return RagChatService(retriever, ExtractiveAnswerer("Sở Y tế", threshold=0.0)), indexer


def test_own_end_date_is_read_and_the_document_is_expired_after_it(tmp_path):
    _, indexer = build(tmp_path)
    records = {r.document_number: r for r in indexer.list_documents()}
    temporary, control = records["88/2025/QĐ-TEST"], records["89/2025/QĐ-TEST"]
    assert temporary.declared["expiry_date"] == "2026-01-01"
    assert (temporary.validity, temporary.status_origin) == ("expired", "văn bản")
    assert control.validity == "in_force" and "expiry_date" not in control.declared


def test_a_passage_past_its_own_end_date_is_labelled_and_not_stated_as_current(tmp_path):
    service, _ = build(tmp_path)
    answer = service.ask(MEAL)
    first_line = answer.answer.splitlines()[0]
    assert first_line.startswith("Lưu ý: Quyết định")
    assert "chỉ áp dụng đến hết ngày 31/12/2025, đã hết hiệu lực từ ngày 01/01/2026" in first_line
    cited = answer.citations[0]
    assert cited.document_number == "88/2025/QĐ-TEST" and "45.000" in cited.quote
    assert cited.status == "expired"
    assert "hiệu lực từ 01/02/2025; hết hiệu lực từ 01/01/2026; hết hiệu lực" in cited.title
    assert "Trước khi hết hiệu lực, theo" in answer.answer


def test_before_its_end_date_the_temporary_rule_is_current(tmp_path):
    service, indexer = build(tmp_path, today="2025-06-01")
    answer = service.ask(MEAL)
    assert not answer.answer.startswith(("Lưu ý", "Quy định"))
    assert answer.citations[0].status == "in_force" and "45.000" in answer.citations[0].quote
    assert {r.validity for r in indexer.list_documents()} == {"in_force"}


def test_a_question_about_the_past_gets_the_temporary_rule_labelled(tmp_path):
    service, _ = build(tmp_path)
    answer = service.ask("Trước đây " + MEAL[0].lower() + MEAL[1:])
    assert answer.answer.startswith("Quy định trước đây: Quyết định")
    assert "chỉ áp dụng đến hết ngày 31/12/2025; nội dung trích dẫn là quy định cũ" in answer.answer
    dated = service.ask("Ngày 15/6/2025 " + MEAL[0].lower() + MEAL[1:])
    assert dated.answer.startswith("Quy định áp dụng tại thời điểm 15/06/2025; sau đó Quyết định")
    assert "hết hiệu lực từ ngày 01/01/2026" in dated.answer.splitlines()[0]


def test_the_control_document_without_an_end_date_stays_in_force(tmp_path):
    service, _ = build(tmp_path)
    answer = service.ask("Lệ phí cấp bản sao chứng chỉ hành nghề khám bệnh, chữa bệnh là bao nhiêu?")
    assert not answer.answer.startswith(("Lưu ý", "Quy định"))
    cited = answer.citations[0]
    assert cited.document_number == "89/2025/QĐ-TEST" and cited.status == "in_force"
    assert "60.000" in cited.quote and "hết hiệu lực" not in cited.title


def test_an_admin_keeping_it_in_force_wins_over_its_own_end_date(tmp_path):
    service, indexer = build(tmp_path)
    doc_id = next(r.doc_id for r in indexer.list_documents() if r.document_number == "88/2025/QĐ-TEST")
    indexer.set_status(doc_id, {"validity": "in_force"}, "admin")
    answer = service.ask(MEAL)
    assert not answer.answer.startswith("Lưu ý")
    assert answer.citations[0].status == "in_force"
