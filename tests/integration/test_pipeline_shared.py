"""The real pipeline (loaders, chunker, real embedder, embedded Qdrant) over real shared data:
every Pháp điển article is indexed, every chunk is NFC, re-runs skip unchanged files."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from assistant.core.settings import Settings

pytestmark = pytest.mark.integration

# Two small đề mục (45.10 mỹ phẩm, 44.12 phản ánh kiến nghị) and three TTHC records.
PHAPDIEN_FILES = ("f807bad9-3b81-41c5-bbc1-b4ab37a89431.html", "87bb6177-4c03-4173-8a12-9a75337bb2e0.html")
TTHC_FILES = ("1.013614.json", "1.013619.json", "2.002755.json")


@pytest.fixture(scope="module")
def indexed(prepared_model_dir: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory):
    shared = shared_data
    from assistant.app.index import build_index

    data_dir = tmp_path_factory.mktemp("pipeline-data")
    (data_dir / "models").symlink_to(prepared_model_dir.parent, target_is_directory=True)
    components = build_index(Settings(_env_file=None, data_dir=data_dir))
    files = [shared / "phapdien_health" / f for f in PHAPDIEN_FILES]
    files += [shared / "tthc_csdlqg_sample" / f for f in TTHC_FILES]
    summary = components.indexer.index_paths(files)
    yield components, files, summary
    components.close()


def test_pipeline_indexes_every_phapdien_article_and_tthc_record(indexed):
    components, files, summary = indexed
    assert (summary.added, summary.failed) == (len(files), [])
    from indexing.chunking import chunk_document
    from indexing.loaders import load_path

    expected_units: set[str] = set()
    for path in files:
        for document in load_path(path):
            record = components.manifest.get(document.doc_id)
            chunks = chunk_document(document, record.doc_hash, components.embedder)
            stored = components.store.get_chunks([c.chunk_id for c in chunks])
            assert [c.chunk_id for c in stored] == [c.chunk_id for c in chunks]
            expected_units |= {c.unit_id for c in stored}
            assert all(unicodedata.is_normalized("NFC", c.text) for c in stored)
            assert all(components.embedder.count_tokens(c.embed_text) <= components.embedder.max_tokens for c in stored)
    headings = sum(
        len(re.findall(r"class=['\"]pDieu['\"]", p.read_text(encoding="utf-8-sig")))
        for p in files if p.suffix == ".html"
    )
    phapdien_units = {u for u in expected_units if re.fullmatch(r"\d+\.\d+\.[A-ZĐ]+\.\S+", u)}
    assert len(phapdien_units) == headings
    assert {"1.013614", "1.013619", "2.002755"} <= expected_units
    assert components.store.count() == sum(r.chunks for r in components.manifest.list())


def test_pipeline_rerun_with_nothing_changed_skips_every_file(indexed):
    components, files, _ = indexed
    again = components.indexer.index_paths(files)
    assert (again.added, again.updated, again.unchanged, again.chunks) == (0, 0, len(files), 0)


def test_pipeline_dense_search_finds_article_by_its_meaning(indexed):
    components, _, _ = indexed
    vector = components.embedder.embed_query("thủ tục cấp mới giấy phép hành nghề khám bệnh, chữa bệnh")
    hits = components.store.search_dense(vector, 5)
    assert "1.013614" in {h.chunk.unit_id for h in hits}
