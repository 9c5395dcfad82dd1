"""End to end over fixture regulations (an original, one amending two of its articles, an old
circular and the one replacing it): index → ask → the current rule first, the status line in
the answer, effective date and status in the citations; a question about the past gets the old
rule, labelled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fakes.embedder import FakeEmbedder
from fakes.retrieval import FakeSparseEncoder, FakeStore

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.retrieval import HybridRetriever, RetrievalConfig
from assistant.service import RagChatService
from assistant.validity import ValidityPolicy, asked_date
from indexing.cache import TextCache
from indexing.manifest import Manifest, ManifestGate
from indexing.pipeline import Indexer
from indexing.validity.book import ManifestStatusBook

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "validity"
TODAY = "2026-01-10"
FEE = "Mức hỗ trợ chi phí đi lại cho người bệnh chạy thận nhân tạo là bao nhiêu?"


def build(tmp_path: Path, names: list[str]) -> tuple[RagChatService, Indexer]:
    folder = tmp_path / "library"
    folder.mkdir(exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / name, folder / name)
    embedder, sparse, store = FakeEmbedder(), FakeSparseEncoder(), FakeStore()
    manifest = Manifest(tmp_path / "manifest.sqlite")
    indexer = Indexer(embedder=embedder, sparse=sparse, store=store, manifest=manifest,
                      cache=TextCache(tmp_path / "cache.sqlite", "dense:test"))  # fmt: skip
    summary = indexer.index_paths([folder])
    assert not summary.failed
    retriever = HybridRetriever(
        embedder, sparse, store, gate=ManifestGate(manifest), config=RetrievalConfig(mode="hybrid"),
        validity=ValidityPolicy(ManifestStatusBook(manifest), today=lambda: TODAY),
    )
    return RagChatService(retriever, ExtractiveAnswerer("Sở Y tế", threshold=0.0)), indexer


ALL = ["tt-10-2020-ho-tro-di-lai.txt", "tt-05-2024-sua-doi.txt", "tt-30-2019-gio-tiep-nhan.txt",
       "tt-20-2025-thay-the.txt"]  # fmt: skip


def test_current_question_gets_the_amended_rule_first_with_the_status_line(tmp_path):
    service, _ = build(tmp_path, ALL)
    answer = service.ask(FEE)
    first_line = answer.answer.splitlines()[0]
    assert first_line.startswith("Lưu ý: Điều 3 Thông tư")
    assert "10/2020/TT-TEST đã được sửa đổi, bổ sung bởi Thông tư số 05/2024/TT-TEST, có hiệu lực từ 01/07/2024" in first_line
    assert "Quy định mới: xem [1]" in first_line
    new, old = answer.citations[0], answer.citations[1]
    assert new.document_number == "05/2024/TT-TEST" and "350.000" in new.quote
    assert (new.status, new.effective_date) == ("in_force", "2024-07-01")
    assert "hiệu lực từ 01/07/2024; đang có hiệu lực" in new.title
    assert old.document_number == "10/2020/TT-TEST" and "200.000" in old.quote
    assert old.status == "amended" and "đã được sửa đổi, bổ sung" in old.title
    assert "Trước khi được sửa đổi, theo Điều 3" in answer.answer


def test_without_the_amending_document_the_original_rule_is_current(tmp_path):
    service, _ = build(tmp_path, ALL[:1])
    answer = service.ask(FEE)
    assert not answer.answer.startswith("Lưu ý")
    assert answer.citations[0].status == "in_force" and "200.000" in answer.citations[0].quote
    assert answer.citations[0].effective_date == "2020-03-01"


def test_question_about_the_past_gets_the_old_rule_labelled(tmp_path):
    service, _ = build(tmp_path, ALL)
    answer = service.ask("Trước đây mức hỗ trợ chi phí đi lại cho người bệnh chạy thận nhân tạo là bao nhiêu?")
    assert answer.answer.startswith("Quy định trước đây: Điều 3 Thông tư")
    assert "200.000" in answer.citations[0].quote


def test_question_with_a_year_gets_the_rule_in_force_then(tmp_path):
    service, _ = build(tmp_path, ALL)
    answer = service.ask("Năm 2021 mức hỗ trợ chi phí đi lại cho người bệnh chạy thận nhân tạo là bao nhiêu?")
    assert answer.answer.startswith("Quy định áp dụng tại thời điểm 31/12/2021; sau đó Điều 3")
    assert "xem [" not in answer.answer.splitlines()[0]  # the newer one is not cited here
    assert "200.000" in answer.citations[0].quote
    later = service.ask("Năm 2025 mức hỗ trợ chi phí đi lại cho người bệnh chạy thận nhân tạo là bao nhiêu?")
    assert "350.000" in later.citations[0].quote


def test_replaced_circular_gives_way_to_the_replacing_one(tmp_path):
    service, indexer = build(tmp_path, ALL)
    hits = service.search("Thời gian tiếp nhận hồ sơ cấp giấy phép hành nghề", limit=5)
    numbers = [h.chunk.document_number for h in hits]
    assert numbers.index("20/2025/TT-TEST") < numbers.index("30/2019/TT-TEST")
    old = next(h for h in hits if h.chunk.document_number == "30/2019/TT-TEST")
    assert old.chunk.validity == "replaced"
    assert "đã được thay thế bởi Thông tư số 20/2025/TT-TEST, có hiệu lực từ 06/04/2025" in old.chunk.metadata["status_note"]


def test_the_newer_provision_is_fetched_when_only_the_old_one_was_retrieved(tmp_path):
    service, _ = build(tmp_path, ALL)
    hits = service.search("Điều 3 mức hỗ trợ 200.000 đồng mỗi lượt", limit=1)
    assert [h.chunk.document_number for h in hits] == ["05/2024/TT-TEST"]


def test_a_repealed_article_is_labelled_and_moved_after_current_ones(tmp_path):
    service, _ = build(tmp_path, ALL)
    hits = service.search("Hồ sơ đề nghị hỗ trợ: giấy xác nhận số lượt chạy thận trong tháng", limit=5)
    repealed = next(h for h in hits if h.chunk.article_label == "Điều 4")
    assert repealed.chunk.validity == "expired"
    assert "Điều 4 Thông tư" in repealed.chunk.metadata["status_note"]
    assert "đã bị bãi bỏ bởi Thông tư số 05/2024/TT-TEST" in repealed.chunk.metadata["status_note"]


def test_admin_marking_a_document_expired_labels_it_without_any_relation(tmp_path):
    service, indexer = build(tmp_path, ALL[2:3])
    doc_id = indexer.list_documents()[0].doc_id
    indexer.set_status(doc_id, {"validity": "expired"}, "admin")
    answer = service.ask("Thời gian tiếp nhận hồ sơ cấp giấy phép hành nghề")
    assert answer.answer.startswith("Lưu ý: Thông tư")
    assert "đã hết hiệu lực" in answer.answer.splitlines()[0]
    assert answer.citations[0].status == "expired"


@pytest.mark.parametrize(
    ("question", "expected"),
    [("ngay 15/3/2021", "2021-03-15"), ("thang 5/2023", "2023-05-28"), ("truoc nam 2024", "2023-12-31"),
     ("nam 2020", "2020-12-31"), ("muc ho tro hien nay", "")],
)
def test_asked_date(question, expected):
    assert asked_date(question) == expected


class OneChangeBook:
    """A StatusBook knowing one change to Luật 25/2008/QH12 from 01/07/2025 (default: Điều 22
    amended)."""

    def __init__(self, kind: str = "amends", articles: tuple[str, ...] = ("Điều 22",)) -> None:
        self.kind, self.articles = kind, articles

    def changes_to(self, key):
        from assistant.core.domain import DocumentRelation

        if key != "25/2008/QH12":
            return []
        return [DocumentRelation(self.kind, key, self.articles, "51/2024/QH15", "", "2025-07-01")]

    def document(self, doc_id):
        return None


def test_a_phapdien_article_of_an_amended_law_is_never_presented_as_certainly_current():
    from fakes.retrieval import make_chunk

    from assistant.core.domain import ScoredChunk, SearchFilter

    def unit(unit_id: str, article: str) -> ScoredChunk:
        chunk = make_chunk(unit_id, "Mức hưởng khi tự đi khám bệnh, chữa bệnh không đúng tuyến ...",
                           document_type="Bộ Pháp điển",
                           metadata={"legal_source": {"document_number": "25/2008/QH12", "document_type": "Luật",
                                                      "title": "Luật Bảo hiểm y tế", "original_article": article,
                                                      "effective_date": "2009-07-01"}})  # fmt: skip
        return ScoredChunk(chunk, 1.0)

    policy = ValidityPolicy(OneChangeBook(), today=lambda: TODAY)
    hits = policy.apply([unit("2.2.LQ.22", "Điều 22"), unit("2.2.LQ.21", "Điều 21")],
                        question="mức hưởng", history=False, filters=SearchFilter())  # fmt: skip
    amended, untouched = hits
    assert amended.chunk.validity == "amended" and untouched.chunk.validity == "in_force"
    note = amended.chunk.metadata["status_note"]
    assert note.startswith("Lưu ý: Điều 22 Luật Bảo hiểm y tế số 25/2008/QH12 đã được sửa đổi, bổ sung bởi Luật số 51/2024/QH15, có hiệu lực từ 01/07/2025.")
    assert "Bộ Pháp điển trong chỉ mục có thể chưa cập nhật" in note
    assert "status_note" not in untouched.chunk.metadata


def test_phapdien_citation_says_in_force_only_as_far_as_the_indexed_snapshot_knows():
    from fakes.retrieval import make_chunk

    from assistant.answering.citations import make_citation
    from assistant.core.domain import ScoredChunk, SearchFilter

    chunk = make_chunk("45.4.LQ.13", "Điều kiện cấp chứng chỉ hành nghề dược ...", document_type="Bộ Pháp điển",
                       metadata={"legal_source": {"document_number": "105/2016/QH13", "effective_date": "2017-01-01"}})
    [hit] = ValidityPolicy(OneChangeBook(), today=lambda: TODAY).apply(
        [ScoredChunk(chunk, 1.0)], question="điều kiện", history=False, filters=SearchFilter())
    citation = make_citation(hit.chunk, "…")
    assert citation.title.endswith("— hiệu lực từ 01/01/2017; còn hiệu lực theo bản Bộ Pháp điển đã lập chỉ mục")
    assert (citation.status, citation.effective_date, citation.status_note) == ("in_force", "2017-01-01", "")


@pytest.mark.parametrize(
    ("articles", "validity", "verb"),
    [(("Điều 22 (một phần)",), "amended", "đã bị bãi bỏ một phần bởi"),
     (("Điều 22",), "expired", "đã bị bãi bỏ bởi")],
)
def test_repealing_a_clause_leaves_the_article_partly_in_force(articles, validity, verb):
    from fakes.retrieval import make_chunk

    from assistant.core.domain import ScoredChunk, SearchFilter

    chunk = make_chunk("luat#22", "Mức hưởng bảo hiểm y tế khi khám bệnh, chữa bệnh ...", article_label="Điều 22",
                       document_number="25/2008/QH12")
    [hit] = ValidityPolicy(OneChangeBook("repeals", articles), today=lambda: TODAY).apply(
        [ScoredChunk(chunk, 1.0)], question="mức hưởng", history=False, filters=SearchFilter())
    assert hit.chunk.validity == validity
    assert f"Điều 22 số 25/2008/QH12 {verb} Luật số 51/2024/QH15" in hit.chunk.metadata["status_note"]
