"""The TTHC chunker: one chunk per procedure section, all starting with name and code."""

from __future__ import annotations

import json

from assistant.core.domain import Document, Section
from fakes.chunking import WordCounter
from indexing.chunking import CHUNKER_VERSION, chunk_document
from indexing.chunking.tthc import TthcChunker
from assistant.core.ids import content_hash

NAME = "Cấp mới giấy phép hành nghề khám bệnh, chữa bệnh"


def _record(**overrides: object) -> dict:
    record = {
        "code": "DEMO.000001",
        "name": NAME + ".",
        "decision": "Quyết định số DEMO-01/QĐ-SYT",
        "level": "Cấp Tỉnh",
        "kind": "TTHC được luật giao quy định chi tiết",
        "field": "Khám bệnh, chữa bệnh",
        "steps": "Bước 1. Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh. "
        "Bước 2. Sở Y tế thẩm định hồ sơ.\nBước 3. Trả kết quả.",
        "channels": [
            {"channel": "Trực tiếp", "time_limit": "30 Ngày", "fee": "Phí : 360.000 Đồng",
             "description": ""},
            {"channel": "Trực tuyến", "time_limit": "30 Ngày", "fee": "Phí : 360.000 Đồng",
             "description": "Nộp trên Cổng Dịch vụ công quốc gia"},
        ],
        "components": [
            {"name": "Đơn đề nghị cấp mới giấy phép hành nghề", "template": "Mau01.docx",
             "note": "Bản chính: 1\nBản sao: 0"},
            "Giấy xác nhận kết quả kiểm tra đánh giá năng lực hành nghề",
        ],
        "subjects": ["Công dân Việt Nam", "Người nước ngoài"],
        "agency": "Sở Y tế",
        "competent_agency": "Không có thông tin",
        "address": "Trung tâm Phục vụ hành chính công tỉnh",
        "result": "Giấy phép hành nghề",
        "requirements": "Không có thông tin",
        "legal_basis": [
            {"number": "15/2023/QH15", "title": "Luật Khám bệnh, chữa bệnh", "date": "09-01-2023",
             "issuer": "Quốc hội"},
        ],
    }
    record.update(overrides)
    return record


def _document(record: dict) -> Document:
    section = Section(text="", unit_id=record["code"], heading=record["name"],
                      metadata={"tthc": record})
    return Document(doc_id="t1", source="/tmp/DEMO.000001.json", format="tthc",
                    title=record["name"], sections=[section], document_number=record["code"])


def test_tthc_chunker_makes_one_chunk_per_section() -> None:
    chunks = TthcChunker(WordCounter(512)).chunk(_document(_record()), "h")
    sections = [c.metadata["tthc_section"] for c in chunks]
    assert sections == ["overview", "steps", "components", "time_and_fees", "legal_basis"]
    assert [c.article_label for c in chunks] == [
        "Thông tin chung",
        "Trình tự thực hiện",
        "Thành phần hồ sơ",
        "Cách thức thực hiện, thời hạn giải quyết, phí, lệ phí",
        "Căn cứ pháp lý",
    ]
    for chunk in chunks:
        assert chunk.text.startswith(f"{NAME} (mã DEMO.000001)\n")
        assert chunk.unit_id == "DEMO.000001"
        assert chunk.title == NAME
        assert chunk.document_type == "Thủ tục hành chính"
        assert chunk.metadata["tthc_field"] == "Khám bệnh, chữa bệnh"
        assert chunk.metadata["tthc"]["components"][0]["template"] == "Mau01.docx"
        assert chunk.content_hash == content_hash(chunk.embed_text)
        assert json.loads(json.dumps(chunk.metadata)) == chunk.metadata
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_tthc_chunker_renders_fees_components_and_steps() -> None:
    chunks = {c.metadata["tthc_section"]: c for c in chunk_document(_document(_record()), "h",
                                                                     WordCounter(512))}
    fees = chunks["time_and_fees"].text
    assert "- Trực tiếp: thời hạn giải quyết: 30 Ngày; phí, lệ phí: Phí : 360.000 Đồng" in fees
    assert "Nộp trên Cổng Dịch vụ công quốc gia" in fees
    components = chunks["components"].text
    form = "- Đơn đề nghị cấp mới giấy phép hành nghề (mẫu: Mau01.docx; Bản chính: 1, Bản sao: 0)"
    assert form in components
    assert "- Giấy xác nhận kết quả kiểm tra" in components
    steps = chunks["steps"].text.splitlines()
    assert steps[2:] == [
        "Bước 1. Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh.",
        "Bước 2. Sở Y tế thẩm định hồ sơ.",
        "Bước 3. Trả kết quả.",
    ]
    overview = chunks["overview"].text
    assert "Đối tượng thực hiện: Công dân Việt Nam; Người nước ngoài" in overview
    assert "Cơ quan có thẩm quyền" not in overview  # "Không có thông tin" is left out
    assert "Cách thức nộp hồ sơ: Trực tiếp, Trực tuyến" in overview


def test_tthc_chunker_adds_requirements_when_present() -> None:
    record = _record(requirements="Người hành nghề phải có văn bằng phù hợp.")
    chunks = TthcChunker(WordCounter(512)).chunk(_document(record), "h")
    requirement = [c for c in chunks if c.metadata["tthc_section"] == "requirements"]
    assert len(requirement) == 1
    assert requirement[0].article_label == "Yêu cầu, điều kiện thực hiện"
    assert "văn bằng phù hợp" in requirement[0].text


def test_tthc_chunker_splits_a_long_components_list_within_the_window() -> None:
    components = [f"Giấy tờ số {i}: bản sao chứng thực văn bằng kèm bản dịch" for i in range(40)]
    counter = WordCounter(80)
    chunks = TthcChunker(counter).chunk(_document(_record(components=components)), "h")
    parts = [c for c in chunks if c.metadata["tthc_section"] == "components"]
    assert len(parts) > 3
    assert all(counter.count_tokens(c.embed_text) <= 80 for c in chunks)
    assert all(c.text.startswith(f"{NAME} (mã DEMO.000001)\nThành phần hồ sơ") for c in parts)
    assert "(tiếp theo)" in parts[1].text
    assert [c.metadata["part"] for c in parts] == list(range(1, len(parts) + 1))
    listed = [ln for c in parts for ln in c.text.splitlines() if ln.startswith("- ")]
    assert listed == [f"- {c}" for c in components]  # every item, in order, none cut


def test_tthc_chunker_falls_back_to_text_without_a_record() -> None:
    doc = _document(_record())
    doc.sections = [Section(text="Thủ tục không có dữ liệu cấu trúc.", unit_id="DEMO.9")]
    chunks = TthcChunker(WordCounter(512)).chunk(doc, "h")
    assert [c.unit_id for c in chunks] == ["DEMO.9"]
    assert chunks[0].text == "Thủ tục không có dữ liệu cấu trúc."


def test_chunk_document_dispatches_on_format() -> None:
    counter = WordCounter(512)
    tthc = chunk_document(_document(_record()), "h", counter)
    assert all("tthc_section" in c.metadata for c in tthc)
    text_doc = Document(doc_id="x", source="x.txt", format="text", title="X",
                        sections=[Section(text="Điều 1. Phạm vi\nÁp dụng.")])
    legal = chunk_document(text_doc, "h", counter)
    assert [c.article_label for c in legal] == ["Điều 1"]
    assert isinstance(CHUNKER_VERSION, str) and CHUNKER_VERSION
