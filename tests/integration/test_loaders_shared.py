"""Loaders over the real shared data (skipped when ../shared/data is absent).

Expected values come from the raw files themselves (markup counts, JSON lengths) or from the
data's SOURCE.md description of record 1.013614, never from a previous run of the loaders.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from assistant.core.domain import Document
from indexing.loaders import load_all, load_path
from assistant.core.text import canonical_tone_marks

pytestmark = pytest.mark.integration


@lru_cache(maxsize=None)
def _load(path: str) -> tuple[Document, ...]:
    return tuple(load_path(Path(path)))


def _phapdien_files(shared: Path) -> list[Path]:
    return sorted((shared / "phapdien_health").glob("*.html"))


def test_loaders_shared_phapdien_article_counts_equal_pdieu_headings(shared_data):
    mismatches = {}
    for path in _phapdien_files(shared_data):
        expected = len(re.findall(r"class=['\"]pDieu['\"]", path.read_text(encoding="utf-8-sig")))
        (document,) = _load(str(path))
        assert document.format == "phapdien"
        if len(document.sections) != expected:
            mismatches[path.name] = (len(document.sections), expected)
    assert mismatches == {}


def test_loaders_shared_phapdien_text_is_nfc_with_canonical_tone_marks(shared_data):
    for path in _phapdien_files(shared_data):
        (document,) = _load(str(path))
        for section in document.sections:
            for text in (section.text, section.heading, *section.path, section.source.title):
                assert unicodedata.is_normalized("NFC", text), (path.name, section.unit_id)
                assert canonical_tone_marks(text) == text, (path.name, section.unit_id)
                assert "\u00d0" not in text, (path.name, section.unit_id)  # eth posing as Đ


def test_loaders_shared_phapdien_units_are_unique_and_sourced(shared_data):
    for path in _phapdien_files(shared_data):
        (document,) = _load(str(path))
        ids = [s.unit_id for s in document.sections]
        assert len(ids) == len(set(ids)), path.name
        for section in document.sections:
            assert section.heading.startswith(f"Điều {section.metadata['phapdien_id']}")
            assert section.source.document_number and section.source.effective_date, section.unit_id
            assert section.metadata["de_muc"] == document.metadata["de_muc"]


def test_loaders_shared_phapdien_duoc_articles(shared_data):
    documents = [d for p in _phapdien_files(shared_data) for d in _load(str(p))]
    duoc = next(d for d in documents if d.metadata["de_muc"] == "45.4")
    assert duoc.title == "Đề mục 45.4 Dược"
    first = next(s for s in duoc.sections if s.unit_id == "45.4.LQ.1")
    assert first.source.document_number == "105/2016/QH13"
    assert (first.source.document_type, first.source.title) == ("Luật", "Luật Dược")
    assert first.source.original_article == "Điều 1"
    assert any(s.path[:1] == ("Chương II",) for s in duoc.sections)
    assert any(s.metadata["cross_refs"] for s in duoc.sections)


def test_loaders_shared_phapdien_empty_stub_is_a_warning(shared_data):
    stubs = [d for p in _phapdien_files(shared_data) for d in _load(str(p)) if not d.sections]
    assert [d.metadata["de_muc"] for d in stubs] == ["45.6"]
    assert stubs[0].warnings


def test_loaders_shared_tthc_every_record_loads(shared_data):
    files = sorted((shared_data / "tthc_csdlqg_sample").glob("*.json"))
    documents, failed = load_all(files)
    assert failed == []
    assert [d.document_number for d in documents] == [f.stem for f in files]
    assert all(d.sections[0].metadata["tthc"]["components"] for d in documents)


def test_loaders_shared_tthc_1_013614_fields(shared_data):
    (document,) = _load(str(shared_data / "tthc_csdlqg_sample" / "1.013614.json"))
    rec = document.sections[0].metadata["tthc"]
    assert rec["field"] == "Khám bệnh, chữa bệnh"
    assert {c["time_limit"].lower() for c in rec["channels"]} == {"30 ngày"}
    assert all("0 Đồng" in c["fee"] for c in rec["channels"])
    assert "16/2024/NĐ-CP" in [b["number"] for b in rec["legal_basis"]]
    assert [c["case"] for c in rec["components"]] == [f"Trường hợp {n}" for n in range(1, 5)]
    assert [s.split(".")[0] for s in rec["steps"]] == [f"Bước {n}" for n in range(1, 5)]


@pytest.mark.parametrize(
    "relative", ["alqac2024/law.json", "legal_entailment_2023/legal_passages.json"]
)
def test_loaders_shared_alqac_one_section_per_article(shared_data, relative):
    path = shared_data / relative
    raw = json.loads(path.read_text(encoding="utf-8"))
    documents = _load(str(path))
    assert [d.title for d in documents] == [unicodedata.normalize("NFC", law["id"]) for law in raw]
    for law, document in zip(raw, documents):
        article_ids = [s.unit_id.split("#", 1)[1] for s in document.sections]
        assert article_ids == [a["id"] for a in law["articles"]]
        assert all(unicodedata.is_normalized("NFC", s.text) for s in document.sections)


def test_loaders_shared_corpus_benchmark(shared_data):
    """Prints counts and load time of the whole shared corpus (no timing assert). CPU time is
    printed too: wall time on a shared 2-core machine mostly measures the neighbours."""
    started, cpu = time.perf_counter(), time.process_time()
    documents, failed = load_all(
        [
            shared_data / "phapdien_health",
            str(shared_data / "tthc_csdlqg_sample" / "*.json"),
            shared_data / "alqac2024" / "law.json",
            shared_data / "legal_entailment_2023" / "legal_passages.json",
        ]
    )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    by_format: dict[str, list[int]] = {}
    for d in documents:
        by_format.setdefault(d.format, []).append(len(d.sections))
    print(f"\nloaded {len(documents)} documents in {seconds:.2f} s wall, {cpu:.2f} s CPU")
    for fmt, counts in sorted(by_format.items()):
        print(f"  {fmt}: {len(counts)} documents, {sum(counts)} sections")
    assert failed == []
