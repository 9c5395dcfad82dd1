"""Re-indexing that loses nothing: unchanged files skipped, changed files replace exactly their
own chunks, a failing or killed run leaves the previous version live."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.cache import TextCache
from indexing.manifest import Manifest, ManifestGate
from indexing.pipeline import Indexer
from fakes.embedder import FakeEmbedder
from fakes.retrieval import FakeSparseEncoder, FakeStore

REGULATION = """THÔNG TƯ SỐ 99/2099/TT-TEST
Quy định thử nghiệm

Điều 1. Phạm vi điều chỉnh
Thông tư này quy định về việc cấp giấy phép hành nghề khám bệnh, chữa bệnh.

Điều 2. Hồ sơ đề nghị
1. Đơn đề nghị cấp giấy phép hành nghề.
2. Bản sao văn bằng chuyên môn.
"""


class CountingEmbedder(FakeEmbedder):
    def __init__(self, fail_after: int | None = None) -> None:
        super().__init__()
        self.embedded = 0
        self.fail_after = fail_after

    def embed_passages(self, texts):
        if self.fail_after is not None and self.embedded + len(texts) > self.fail_after:
            raise KeyboardInterrupt("killed")
        self.embedded += len(texts)
        return super().embed_passages(texts)


def make_indexer(tmp_path: Path, store=None, embedder=None) -> Indexer:
    return Indexer(
        embedder=embedder or CountingEmbedder(),
        sparse=FakeSparseEncoder(),
        store=store if store is not None else FakeStore(),
        manifest=Manifest(tmp_path / "manifest.sqlite"),
        cache=TextCache(tmp_path / "cache.sqlite", "dense:test"),
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(REGULATION, encoding="utf-8")
    (folder / "b.txt").write_text(REGULATION.replace("99/2099", "98/2098").replace("khám bệnh", "dược"), encoding="utf-8")
    return folder


def chunks_of(store: FakeStore, doc_id: str) -> dict[str, str]:
    return {cid: c.doc_hash for cid, c in store.chunks.items() if c.doc_id == doc_id}


def test_indexer_adds_then_skips_unchanged_files_without_embedding(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    first = indexer.index_paths([corpus])
    assert (first.added, first.updated, first.unchanged, first.failed) == (2, 0, 0, [])
    assert first.chunks == indexer.store.count() > 0
    embedded = indexer.embedder.embedded
    second = indexer.index_paths([corpus])
    assert (second.added, second.updated, second.unchanged) == (0, 0, 2)
    assert indexer.embedder.embedded == embedded


def test_indexer_changed_file_replaces_exactly_its_own_chunks(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([corpus])
    records = {Path(r.source).name: r for r in indexer.list_documents()}
    untouched_before = chunks_of(indexer.store, records["b.txt"].doc_id)
    (corpus / "a.txt").write_text(REGULATION + "3. Giấy chứng nhận sức khỏe.\n", encoding="utf-8")
    summary = indexer.index_paths([corpus])
    assert (summary.updated, summary.unchanged) == (1, 1)
    after = {Path(r.source).name: r for r in indexer.list_documents()}
    assert after["a.txt"].version == 2
    assert set(chunks_of(indexer.store, after["a.txt"].doc_id).values()) == {after["a.txt"].doc_hash}
    assert chunks_of(indexer.store, records["b.txt"].doc_id) == untouched_before


def test_indexer_unchanged_chunks_reuse_cached_embeddings(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([corpus])
    before = indexer.embedder.embedded
    (corpus / "a.txt").write_text(REGULATION + "\nĐiều 3. Hiệu lực\nThông tư có hiệu lực.\n", encoding="utf-8")
    indexer.index_paths([corpus])
    assert 0 < indexer.embedder.embedded - before < 3


def test_indexer_bad_file_fails_alone_and_keeps_previous_version(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    (corpus / "c.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    summary = indexer.index_paths([corpus])
    assert summary.added == 2
    assert [Path(f.path).name for f in summary.failed] == ["c.pdf"]
    assert "c.pdf" in summary.failed[0].path and summary.failed[0].reason
    # a previously good file that turns corrupt keeps its indexed version
    doc = next(r for r in indexer.list_documents() if r.source.endswith("a.txt"))
    good_chunks = chunks_of(indexer.store, doc.doc_id)
    (corpus / "a.txt").write_bytes(bytes(range(256)) * 4)
    bad = indexer.index_paths([corpus / "a.txt"])
    assert [Path(f.path).name for f in bad.failed] == ["a.txt"]
    assert chunks_of(indexer.store, doc.doc_id) == good_chunks


def test_indexer_killed_run_leaves_old_version_live_and_next_run_completes(tmp_path, corpus):
    store = FakeStore()
    indexer = make_indexer(tmp_path, store=store)
    indexer.index_paths([corpus / "a.txt"])
    old = indexer.list_documents()[0]
    (corpus / "a.txt").write_text(REGULATION.replace("Bản sao", "Bản chính"), encoding="utf-8")
    indexer.embedder.fail_after = indexer.embedder.embedded  # the next embed call dies
    with pytest.raises(KeyboardInterrupt):
        indexer.index_paths([corpus / "a.txt"])
    gate = ManifestGate(indexer.manifest)
    visible = {c.doc_hash for c in store.chunks.values() if gate.is_active(c.doc_id, c.doc_hash)}
    assert visible == {old.doc_hash}
    assert indexer.manifest.get(old.doc_id).doc_hash == old.doc_hash

    resumed = make_indexer(tmp_path, store=store)
    summary = resumed.index_paths([corpus / "a.txt"])
    assert summary.updated == 1
    new = resumed.get_document(old.doc_id)
    assert new.doc_hash != old.doc_hash
    assert set(chunks_of(store, old.doc_id).values()) == {new.doc_hash}
    assert resumed.manifest.pending() == {}


def test_indexer_delete_document_removes_chunks_and_record(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([corpus])
    doc = indexer.list_documents()[0]
    indexer.delete_document(doc.doc_id)
    assert chunks_of(indexer.store, doc.doc_id) == {}
    assert doc.doc_id not in {r.doc_id for r in indexer.list_documents()}


def test_indexer_missing_path_is_reported_not_raised(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    summary = indexer.index_paths([tmp_path / "nope.pdf", corpus / "a.txt"])
    assert summary.added == 1
    assert any("nope.pdf" in f.path for f in summary.failed)


class RecordingEmbedder(CountingEmbedder):
    """Remembers each call's texts; fails any call that contains `poison`."""

    def __init__(self, poison: str | None = None) -> None:
        super().__init__()
        self.calls: list[list[str]] = []
        self.poison = poison

    def embed_passages(self, texts):
        self.calls.append(list(texts))
        if self.poison and any(self.poison in t for t in texts):
            raise ValueError("cannot embed this text")
        return super().embed_passages(texts)


def many_small_files(folder: Path, n: int) -> None:
    for i in range(n):
        body = "Nội dung " + "rất dài " * (i * 7 % 23) + f"số {i}."
        (folder / f"small-{i:02d}.txt").write_text(f"Văn bản {i}\n\n{body}\n", encoding="utf-8")


def test_indexer_embeds_chunks_of_many_documents_together_sorted_by_length(tmp_path, corpus):
    many_small_files(corpus, 12)
    indexer = make_indexer(tmp_path, embedder=RecordingEmbedder())
    summary = indexer.index_paths([corpus])
    assert summary.added == 14 and summary.failed == []
    calls = indexer.embedder.calls
    assert len(calls) < summary.added  # not one call per document
    assert sum(map(len, calls)) == indexer.embedder.embedded == summary.chunks
    for texts in calls:
        assert [len(t) for t in texts] == sorted(len(t) for t in texts)
    assert indexer.store.count() == summary.chunks


def test_indexer_text_that_cannot_be_embedded_fails_only_its_file(tmp_path, corpus):
    many_small_files(corpus, 4)
    (corpus / "small-02.txt").write_text("Văn bản độc\n\nĐoạn KHÔNG-NHÚNG-ĐƯỢC ở đây.\n", encoding="utf-8")
    indexer = make_indexer(tmp_path, embedder=RecordingEmbedder(poison="KHÔNG-NHÚNG-ĐƯỢC"))
    summary = indexer.index_paths([corpus])
    assert [Path(f.path).name for f in summary.failed] == ["small-02.txt"]
    assert summary.added == 5
    sources = {Path(r.source).name for r in indexer.list_documents()}
    assert "small-02.txt" not in sources and "small-03.txt" in sources
    assert indexer.manifest.pending() == {}


def test_indexer_profile_accounts_every_stage(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([corpus])
    report = indexer.profile.report()
    stages = report["stage_cpu_s"]
    for name in ("load/parse", "chunking (with token counting)", "word segmentation + BM25",
                 "store upsert", "embed cache write"):
        assert name in stages
    assert report["counts"]["chunks embedded"] == indexer.embedder.embedded
    assert report["process_cpu_s"] >= sum(stages.values()) - 0.05


def test_indexer_refuses_to_mix_vectors_of_two_models(tmp_path, corpus):
    from assistant.core.errors import ConfigError

    indexer = make_indexer(tmp_path)
    indexer.index_paths([corpus / "a.txt"])
    assert indexer.manifest.meta("dense_model") == indexer.embedder.model_id
    assert indexer.manifest.meta("dense_dim") == str(indexer.embedder.dim)
    other = CountingEmbedder()
    other.model_id = "another-model"
    mixed = make_indexer(tmp_path, store=indexer.store, embedder=other)
    with pytest.raises(ConfigError, match="another-model"):
        mixed.index_paths([corpus])
    assert other.embedded == 0 and len(mixed.list_documents()) == 1
