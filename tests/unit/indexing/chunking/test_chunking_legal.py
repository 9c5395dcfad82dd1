"""The legal-structure chunker on structured (Pháp điển) and free-form (PDF pages) documents."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from assistant.core.domain import Document, LegalSource, Section
from fakes.chunking import WordCounter
from indexing.chunking.legal import LegalChunker, Piece, label_range
from assistant.core.ids import content_hash

LONG_CLAUSE = "nội dung quy định chi tiết về hồ sơ và điều kiện cấp phép " * 3  # 36 words

ARTICLE_13 = "\n".join(
    [
        "Hồ sơ đề nghị cấp giấy phép hành nghề gồm:",
        f"1. Đơn đề nghị cấp giấy phép {LONG_CLAUSE}.",
        "2. Các giấy tờ chứng minh sau đây:",
        f"a) Văn bằng chuyên môn {LONG_CLAUSE};",
        f"b) Giấy xác nhận kết quả kiểm tra đánh giá năng lực {LONG_CLAUSE};",
        "c) Ảnh chân dung;",
        f"3. Lệ phí thẩm định {LONG_CLAUSE}.",
    ]
)

_BODY_13 = ARTICLE_13.split("\n", 1)[1]
PAGES = [  # a circular over four PDF pages; Điều 13 starts on page 3, its Khoản 3 is on page 4
    "BỘ Y TẾ\nSố: 46/2018/TT-BYT\nTHÔNG TƯ\nQuy định hồ sơ bệnh án điện tử\n"
    "Chương I\nQUY ĐỊNH CHUNG\n"
    "Điều 1. Phạm vi điều chỉnh\nThông tư này quy định về hồ sơ bệnh án điện tử.",
    "Điều 2. Giải thích từ ngữ\n1. Hồ sơ bệnh án điện tử là hồ sơ bệnh án được lập bằng "
    "phương tiện điện tử.\n2. Chữ ký số là chữ ký điện tử.",
    "Chương II\nQUY ĐỊNH CỤ THỂ\nĐiều 13. Hồ sơ đề nghị\n" + _BODY_13.split("3.")[0],
    "3." + _BODY_13.split("3.", 1)[1] + "\nĐiều 14. Hiệu lực thi hành\nThông tư có hiệu lực.",
]


def _free_form(pages: list[str] = PAGES, number: str = "46/2018/TT-BYT") -> Document:
    return Document(
        doc_id="doc46",
        source="/tmp/46.pdf",
        format="pdf",
        title="Thông tư quy định hồ sơ bệnh án điện tử",
        sections=[Section(text=t, page=i) for i, t in enumerate(pages, start=1)],
        document_number=number,
        document_type="Thông tư",
        audience="staff",
        validity="replaced",
        replaced_by="13/2025/TT-BYT",
    )


def _phapdien(text: str = ARTICLE_13) -> Document:
    source = LegalSource(
        document_number="15/2023/QH15",
        document_type="Luật",
        title="Luật Khám bệnh, chữa bệnh",
        issuer="Quốc hội",
        effective_date="2024-01-01",
        original_article="Điều 30",
    )
    section = Section(
        text=text,
        unit_id="45.6.LQ.30",
        heading="Điều 45.6.LQ.30. Hồ sơ đề nghị cấp giấy phép hành nghề",
        path=("Chương III",),
        source=source,
        metadata={"cross_refs": ["Điều 45.6.LQ.31"]},
    )
    return Document(
        doc_id="pd", source="/tmp/45.6.html", format="phapdien", title="Khám bệnh, chữa bệnh",
        sections=[section],
    )


def test_legal_chunker_keeps_a_fitting_article_whole() -> None:
    chunks = LegalChunker(WordCounter(1000)).chunk(_phapdien(), "h1")
    assert len(chunks) == 1
    chunk = chunks[0]
    assert chunk.text == ARTICLE_13
    assert chunk.unit_id == "45.6.LQ.30"
    assert chunk.article_label == "Điều 45.6.LQ.30"
    assert chunk.article_path == "Chương III › Điều 45.6.LQ.30"
    assert (chunk.document_number, chunk.document_type) == ("15/2023/QH15", "Luật")
    assert chunk.title == "Luật Khám bệnh, chữa bệnh"
    assert chunk.embed_text.startswith("Luật Khám bệnh, chữa bệnh (15/2023/QH15)\n")
    assert "Điều 45.6.LQ.30. Hồ sơ đề nghị cấp giấy phép hành nghề" in chunk.embed_text
    assert chunk.metadata["legal_source"]["original_article"] == "Điều 30"
    assert chunk.metadata["cross_refs"] == ["Điều 45.6.LQ.31"]
    assert chunk.metadata["document_title"] == "Khám bệnh, chữa bệnh"


def test_legal_chunker_keeps_heading_titles_out_of_the_path() -> None:
    doc = _phapdien()
    doc.sections[0].path = ("Chương III", "GIẤY PHÉP HÀNH NGHỀ", "Mục 2. Cấp mới")
    chunk = LegalChunker(WordCounter(1000)).chunk(doc, "h")[0]
    assert chunk.article_path == "Chương III › Mục 2 › Điều 45.6.LQ.30"
    assert chunk.metadata["context_titles"] == ["Chương III. GIẤY PHÉP HÀNH NGHỀ", "Mục 2. Cấp mới"]


def test_legal_chunker_splits_a_long_article_at_clauses_then_points() -> None:
    counter = WordCounter(90)
    chunks = LegalChunker(counter).chunk(_phapdien(), "h1")
    paths = [c.article_path for c in chunks]
    assert len(chunks) > 1
    assert all(counter.count_tokens(c.embed_text) <= 90 for c in chunks)
    assert "Chương III › Điều 45.6.LQ.30 › Khoản 2 › Điểm b" in paths
    assert any(p.endswith("Khoản 1") for p in paths)
    point_b = chunks[paths.index("Chương III › Điều 45.6.LQ.30 › Khoản 2 › Điểm b")]
    assert point_b.text.startswith("b) Giấy xác nhận kết quả")
    # each piece carries the article heading and, for points, the clause lead-in
    assert "Điều 45.6.LQ.30. Hồ sơ đề nghị" in point_b.embed_text
    assert "2. Các giấy tờ chứng minh sau đây:" in point_b.embed_text
    # the short lead-in itself was merged into the chunk of point a, labelled with its clause
    lead_chunk = next(c for c in chunks if c.text.startswith("2. Các giấy tờ"))
    assert "a) Văn bằng chuyên môn" in lead_chunk.text
    assert lead_chunk.article_path.endswith("Khoản 2")
    # nothing lost: the chunks' texts, in order, are the article (a sentence too long for the
    # window was cut between words, so compare words)
    assert " ".join(c.text for c in chunks).split() == ARTICLE_13.split()


def test_legal_chunker_merges_tiny_adjacent_pieces() -> None:
    clauses = [f"{i}. Nghĩa vụ số {i}." for i in range(1, 9)]
    text = "\n".join(["Người hành nghề có nghĩa vụ:"] + clauses)
    text += f"\n9. {LONG_CLAUSE * 2}"
    counter = WordCounter(60)
    chunks = LegalChunker(counter, min_tokens=15).chunk(_phapdien(text), "h")
    assert all(counter.count_tokens(c.embed_text) <= 60 for c in chunks)
    assert len(chunks) < 9  # eight 4-word clauses did not become eight chunks
    assert any("Khoản 1–" in c.article_path for c in chunks)
    assert "Nghĩa vụ số 3." in next(c.text for c in chunks if "Khoản 1–" in c.article_path)


@pytest.mark.parametrize("window", [24, 40, 64, 128, 512])
def test_legal_chunker_never_exceeds_the_window(window: int) -> None:
    counter = WordCounter(window)
    huge = "\n".join([ARTICLE_13] * 3 + ["một câu rất dài không có dấu chấm " * 40])
    docs = [_phapdien(huge), _free_form()]
    for doc in docs:
        chunks = LegalChunker(counter).chunk(doc, "h")
        assert chunks
        assert max(counter.count_tokens(c.embed_text) for c in chunks) <= window


def test_legal_chunker_free_form_units_ids_and_context() -> None:
    chunks = LegalChunker(WordCounter(512)).chunk(_free_form(), "h")
    by_unit = {c.unit_id: c for c in chunks}
    assert list(by_unit) == [
        "46/2018/TT-BYT#preamble",
        "46/2018/TT-BYT#1",
        "46/2018/TT-BYT#2",
        "46/2018/TT-BYT#13",
        "46/2018/TT-BYT#14",
    ]
    assert by_unit["46/2018/TT-BYT#preamble"].text.startswith("BỘ Y TẾ\nSố: 46/2018/TT-BYT")
    assert by_unit["46/2018/TT-BYT#preamble"].article_label == "Phần mở đầu"
    art13 = by_unit["46/2018/TT-BYT#13"]
    assert (art13.article_label, art13.article_path) == ("Điều 13", "Chương II › Điều 13")
    assert art13.metadata["context_titles"] == ["Chương II. QUY ĐỊNH CỤ THỂ"]
    assert "QUY ĐỊNH CỤ THỂ" not in art13.text  # the heading is context, not body
    assert by_unit["46/2018/TT-BYT#1"].article_path == "Chương I › Điều 1"


def test_legal_chunker_keeps_the_page_where_each_chunk_starts() -> None:
    counter = WordCounter(70)
    chunks = LegalChunker(counter).chunk(_free_form(), "h")
    art13 = [c for c in chunks if c.unit_id.endswith("#13")]
    assert art13[0].page == 3  # the article starts on page 3 …
    clause3 = next(c for c in art13 if "Khoản 3" in c.article_path)
    assert clause3.text.startswith("3. Lệ phí")
    assert clause3.page == 4  # … and its third clause on page 4
    assert next(c for c in chunks if c.unit_id.endswith("#14")).page == 4


def test_legal_chunker_without_articles_chunks_by_page() -> None:
    doc = _free_form(["Thông báo lịch tiếp công dân.", "Địa điểm: Sở Y tế.\n" + "nội dung " * 50])
    counter = WordCounter(30)
    chunks = LegalChunker(counter).chunk(doc, "h")
    assert {c.unit_id for c in chunks} == {"46/2018/TT-BYT#p1", "46/2018/TT-BYT#p2"}
    assert [c.page for c in chunks if c.unit_id.endswith("#p1")] == [1]
    assert len([c for c in chunks if c.unit_id.endswith("#p2")]) > 1
    assert all(counter.count_tokens(c.embed_text) <= 30 for c in chunks)
    assert chunks[0].article_label == "Trang 1"


def test_legal_chunker_uses_doc_id_when_there_is_no_document_number() -> None:
    chunks = LegalChunker(WordCounter(512)).chunk(_free_form(number=""), "h")
    assert chunks[1].unit_id == "doc46#1"


def test_legal_chunker_repeated_article_numbers_get_distinct_unit_ids() -> None:
    pages = [
        "Điều 1. Ban hành kèm theo Quyết định này Quy chế.\nĐiều 2. Hiệu lực.",
        "QUY CHẾ\nChương I\nĐiều 1. Phạm vi\nQuy chế này quy định.\nĐiều 2. Đối tượng\nCán bộ.",
    ]
    chunks = LegalChunker(WordCounter(512)).chunk(_free_form(pages, "DEMO-01"), "h")
    assert [c.unit_id for c in chunks] == ["DEMO-01#1", "DEMO-01#2", "DEMO-01#1(2)", "DEMO-01#2(2)"]
    assert len({c.chunk_id for c in chunks}) == 4


def test_legal_chunker_ids_are_stable_and_follow_the_text() -> None:
    counter = WordCounter(70)
    first = LegalChunker(counter).chunk(_free_form(), "h")
    again = LegalChunker(counter).chunk(_free_form(), "h")
    assert [c.chunk_id for c in first] == [c.chunk_id for c in again]
    assert len({c.chunk_id for c in first}) == len(first)
    changed_pages = list(PAGES)
    changed_pages[1] = changed_pages[1].replace("chữ ký điện tử", "chữ ký số hợp lệ")
    changed = LegalChunker(counter).chunk(_free_form(changed_pages), "h")
    old, new = {c.unit_id: c.chunk_id for c in first}, {c.unit_id: c.chunk_id for c in changed}
    assert old["46/2018/TT-BYT#2"] != new["46/2018/TT-BYT#2"]
    assert old["46/2018/TT-BYT#1"] == new["46/2018/TT-BYT#1"]
    other_version = LegalChunker(counter).chunk(_free_form(), "h2")
    assert not {c.chunk_id for c in first} & {c.chunk_id for c in other_version}


def test_legal_chunker_fills_document_fields() -> None:
    chunks = LegalChunker(WordCounter(70)).chunk(_free_form(), "h")
    for chunk in chunks:
        assert (chunk.doc_id, chunk.doc_hash, chunk.source) == ("doc46", "h", "/tmp/46.pdf")
        assert (chunk.audience, chunk.validity, chunk.replaced_by) == (
            "staff", "replaced", "13/2025/TT-BYT"
        )
        assert chunk.document_number == "46/2018/TT-BYT"
        assert chunk.document_type == "Thông tư"
        assert chunk.content_hash == content_hash(chunk.embed_text)
        assert chunk.text in chunk.embed_text
        assert json.loads(json.dumps(chunk.metadata)) == chunk.metadata
        assert 1 <= chunk.metadata["part"] <= chunk.metadata["parts"]


def test_legal_chunker_free_form_chunks_carry_the_detected_legal_source() -> None:
    doc = _free_form()
    source = LegalSource(document_number="46/2018/TT-BYT", document_type="Thông tư",
                         title="Thông tư quy định hồ sơ bệnh án điện tử", issuer="Bộ Y tế")
    for section in doc.sections:
        section.source = source
    chunks = LegalChunker(WordCounter(512)).chunk(doc, "h")
    assert all(c.metadata["legal_source"]["issuer"] == "Bộ Y tế" for c in chunks)
    assert chunks[1].embed_text.startswith(
        "Thông tư quy định hồ sơ bệnh án điện tử (46/2018/TT-BYT)\nChương I › Điều 1\n"
    )
    assert "cross_refs" not in chunks[1].metadata  # only Pháp điển has cross-references


def test_legal_chunker_reads_markdown_headings() -> None:
    text = "# TÀI LIỆU MẪU\n## Chương I. QUY ĐỊNH CHUNG\n### Điều 1. Phạm vi\n1. Áp dụng cho Sở."
    doc = replace(_free_form(), format="text", sections=[Section(text=text)])
    chunks = LegalChunker(WordCounter(512)).chunk(doc, "h")
    assert [c.article_path for c in chunks] == ["Phần mở đầu", "Chương I › Điều 1"]
    assert chunks[1].text == "1. Áp dụng cho Sở."
    assert chunks[1].page is None


def test_label_range_describes_merged_pieces() -> None:
    def piece(*labels: str) -> Piece:
        return Piece([], tuple(labels))

    assert label_range([piece("Khoản 1"), piece("Khoản 3")]) == ("Khoản 1–3",)
    assert label_range([piece(), piece("Khoản 1"), piece("Khoản 2")]) == ("Khoản 1–2",)
    assert label_range([piece("Khoản 2", "Điểm a"), piece("Khoản 2", "Điểm c")]) == (
        "Khoản 2",
        "Điểm a–c",
    )
    assert label_range([piece("Khoản 2"), piece("Khoản 2", "Điểm a")]) == ("Khoản 2",)
    assert label_range([piece("Khoản 2", "Điểm e"), piece("Khoản 3")]) == ("Khoản 2–3",)
    assert label_range([piece(), piece()]) == ()
