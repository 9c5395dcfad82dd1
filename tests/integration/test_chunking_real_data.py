"""The chunkers on real inputs from ../shared/data (skipped when absent): Pháp điển article
bodies and national TTHC records. The inputs are read with a minimal parser here so the test
exercises the chunkers alone, not the loaders."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

import pytest

from assistant.core.domain import Document, LegalSource, Section
from fakes.chunking import WordCounter
from indexing.chunking import chunk_document

pytestmark = pytest.mark.integration

# Đề mục 45.5 (organ donation): 92 articles, small enough for a unit-test run.
PHAPDIEN_FILE = "phapdien_health/0abd54e4-923f-48a3-9f22-b9672dcf4185.html"
_ARTICLE = re.compile(
    r"<p class='pDieu'>(.*?)</p>\s*<p class='pGhiChu'>.*?</p>\s*<p class='pNoiDung'>(.*?)"
    r"(?=<p class='p[A-Z])",
    re.S,
)


def _plain(fragment: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"</p>|<br\s*/?>", "\n", fragment)))
    text = unicodedata.normalize("NFC", text)
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


def _phapdien_document(shared: Path) -> Document:
    raw = (shared / PHAPDIEN_FILE).read_text(encoding="utf-8")
    sections = []
    for head, body in _ARTICLE.findall(raw):
        heading = _plain(head)
        sections.append(
            Section(
                text=_plain(body),
                unit_id=heading.split()[1].rstrip("."),
                heading=heading,
                source=LegalSource(document_number="00/DEMO", title="Văn bản nguồn"),
            )
        )
    return Document(doc_id="pd455", source=PHAPDIEN_FILE, format="phapdien",
                    title="Hiến, lấy, ghép mô", sections=sections)


def _tthc_record(raw: dict) -> dict:
    meta, content, tables = raw["metadata"], raw["content"], raw["tables"]
    return {
        "code": meta["mã_thủ_tục"],
        "name": meta["tên_thủ_tục"],
        "field": meta["lĩnh_vực"],
        "steps": content["trình_tự_thực_hiện"],
        "requirements": content["yêu_cầu_điều_kiện_thực_hiện"],
        "channels": [
            {"channel": c["hinh_thuc"], "time_limit": c["thoi_han_giai_quyet"],
             "fee": c["phi_le_phi"], "description": c["mo_ta"]}
            for c in tables["hinh_thuc_nop"]
        ],
        "components": [
            {"name": c["ten_giay_to"], "template": c["so_luong"], "note": c["ghi_chu"]}
            for c in tables["thanh_phan_ho_so"]
        ],
        "legal_basis": [
            {"number": c["so_ky_hieu"], "title": c["trich_yeu"]} for c in tables["can_cu_phap_ly"]
        ],
    }


@pytest.mark.parametrize("window", [48, 128, 512])
def test_legal_chunker_real_phapdien_articles_fit_and_lose_no_word(
    shared_data: Path, window: int
) -> None:
    document = _phapdien_document(shared_data)
    assert len(document.sections) > 50
    counter = WordCounter(window)
    chunks = chunk_document(document, "h", counter)
    assert max(counter.count_tokens(c.embed_text) for c in chunks) <= window
    by_unit: dict[str, list[str]] = {}
    for chunk in chunks:
        by_unit.setdefault(chunk.unit_id, []).append(chunk.text)
    assert set(by_unit) == {s.unit_id for s in document.sections}
    for section in document.sections:
        assert " ".join(by_unit[section.unit_id]).split() == section.text.split()


def test_tthc_chunker_real_records_fit_the_window(shared_data: Path) -> None:
    counter = WordCounter(200)
    files = sorted((shared_data / "tthc_csdlqg_sample").glob("1.0136*.json"))[:20]
    assert files
    for path in files:
        record = _tthc_record(json.loads(path.read_text(encoding="utf-8")))
        document = Document(
            doc_id=record["code"], source=str(path), format="tthc", title=record["name"],
            sections=[Section(text="", unit_id=record["code"], metadata={"tthc": record})],
        )
        chunks = chunk_document(document, "h", counter)
        sections = {c.metadata["tthc_section"] for c in chunks}
        assert {"overview", "steps", "components", "time_and_fees"} <= sections
        assert max(counter.count_tokens(c.embed_text) for c in chunks) <= 200
        assert all(c.text.startswith(record["name"].rstrip(". ")) for c in chunks)
