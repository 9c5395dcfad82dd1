"""Corpus statistics written by the index run (real Indexer, loaders and chunkers; fake
embedder, encoder and store): the same statistics a build from the documents gives, kept
current when documents change or go, left alone by unchanged runs and by a crashed run."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from fakes.embedder import FakeEmbedder
from fakes.retrieval import FakeSparseEncoder, FakeStore

from assistant.corpus_stats import CorpusStats, build_stats, fingerprint
from assistant.references import find_references
from assistant.stats_live import CorpusStatsHolder
from assistant.stats_store import CorpusStatsStore
from indexing.cache import TextCache
from indexing.loaders import iter_files, load_path
from indexing.manifest import Manifest
from indexing.pipeline import Indexer

ROOT = Path(__file__).resolve().parents[3]


class KilledStore(FakeStore):
    """Killed while storing the second document (the first one is live by then)."""

    def __init__(self) -> None:
        super().__init__()
        self.kill_at: int | None = None

    def upsert(self, chunks, dense, sparse):
        if self.kill_at is not None:
            self.kill_at -= 1
            if self.kill_at < 0:
                raise KeyboardInterrupt("killed")
        super().upsert(chunks, dense, sparse)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus" / "demo", folder)
    shutil.copy(ROOT / "tests" / "fixtures" / "loaders" / "phapdien_sample.html", folder)
    return folder


def make_indexer(data: Path, embedder=None, store=None) -> Indexer:
    return Indexer(
        embedder=embedder or FakeEmbedder(), sparse=FakeSparseEncoder(),
        store=store if store is not None else FakeStore(),
        manifest=Manifest(data / "manifest.sqlite"), cache=TextCache(data / "cache.sqlite", "dense:test"),
        stats=CorpusStatsStore(data / "query_stats.json.gz", data / "query_stats.sqlite"),
    )  # fmt: skip


def built_from_sources(folder: Path, active: dict[str, str]) -> CorpusStats:
    """What the statistics were before: every live document loaded again and counted."""
    documents = []
    for path in iter_files([folder]):
        if not path.name.endswith(".meta.json"):
            documents += [(str(path.resolve()), d.doc_id, d) for d in load_path(path)]
    return build_stats([d for _, _, d in sorted(documents, key=lambda t: t[:2])], fingerprint(active))


def assert_same(saved: CorpusStats | None, expected: CorpusStats) -> None:
    assert saved is not None
    assert saved.fingerprint == expected.fingerprint
    assert (saved.n_units, saved.doc_freq) == (expected.n_units, expected.doc_freq)
    assert saved.restorer.to_dict() == expected.restorer.to_dict()
    assert saved.catalog.to_rows() == expected.catalog.to_rows()


def test_index_run_writes_the_statistics_a_build_from_sources_gives(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    summary = indexer.index_paths([corpus])
    assert summary.failed == [] and summary.added >= 5
    saved = CorpusStats.load(tmp_path / "query_stats.json.gz")
    assert_same(saved, built_from_sources(corpus, indexer.manifest.active_hashes()))
    assert saved.restorer.restore("the bao hiem y te") == "thẻ bảo hiểm y tế"
    assert saved.idf("bao") < saved.idf("khongcotu")
    (ref,) = find_references("Luật số 99/2030/QH15")
    assert saved.catalog.unit_ids(ref) == ["45.99.LQ.1", "45.99.LQ.2"]


def test_changed_and_removed_documents_update_the_statistics(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([corpus])
    page = next(corpus.glob("luat-kbcb*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nXoàibưởi nhãnvải được cấp phép.\n", encoding="utf-8")
    (corpus / "phapdien_sample.html").unlink()
    gone = [r.doc_id for r in indexer.list_documents() if r.source.endswith("phapdien_sample.html")]
    indexer.index_paths([corpus])
    for doc_id in gone:
        indexer.delete_document(doc_id)
    saved = CorpusStats.load(tmp_path / "query_stats.json.gz")
    assert_same(saved, built_from_sources(corpus, indexer.manifest.active_hashes()))
    assert saved.doc_freq["xoaibuoi"] == 1
    (ref,) = find_references("Luật số 99/2030/QH15")
    assert saved.catalog.unit_ids(ref) == []


def test_unchanged_run_does_not_rewrite_the_statistics(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    indexer.index_paths([corpus])
    path = tmp_path / "query_stats.json.gz"
    before = path.stat().st_mtime_ns, path.stat().st_ino
    summary = indexer.index_paths([corpus])
    assert summary.added == summary.updated == 0
    assert (path.stat().st_mtime_ns, path.stat().st_ino) == before
    assert indexer.refresh_stats() is False


def test_killed_run_leaves_the_previous_statistics_serving(tmp_path, corpus):
    store = KilledStore()
    indexer = make_indexer(tmp_path, store=store)
    indexer.index_paths([corpus])
    holder = CorpusStatsHolder(tmp_path / "query_stats.json.gz", check_every_s=0.0)
    previous = holder.current()
    for page in corpus.glob("*.md"):
        page.write_text(page.read_text(encoding="utf-8") + "\nXoàibưởi.\n", encoding="utf-8")
    store.kill_at = 1
    killed = make_indexer(tmp_path, store=store)
    with pytest.raises(KeyboardInterrupt):
        killed.index_paths([corpus])
    assert any("Xoàibưởi" in c.text for c in store.chunks.values())  # one new version is live
    assert holder.current() is previous and "xoaibuoi" not in holder.current().doc_freq
    store.kill_at = None
    make_indexer(tmp_path, store=store).index_paths([corpus])  # the next run finishes
    saved = CorpusStats.load(tmp_path / "query_stats.json.gz")
    assert_same(saved, built_from_sources(corpus, killed.manifest.active_hashes()))
    holder.current()  # notices the new file, reads it in the background
    deadline = time.monotonic() + 5
    while holder.peek() is previous and time.monotonic() < deadline:
        time.sleep(0.01)
    assert holder.peek().doc_freq["xoaibuoi"] == saved.doc_freq["xoaibuoi"] > 0


def test_index_built_before_the_statistics_is_caught_up_once(tmp_path, corpus):
    indexer = make_indexer(tmp_path)
    indexer.stats = None  # an index built by an older troly: no shares, no file
    indexer.index_paths([corpus])
    indexer.stats = CorpusStatsStore(tmp_path / "query_stats.json.gz", tmp_path / "query_stats.sqlite")
    assert indexer.refresh_stats() is True
    assert_same(CorpusStats.load(tmp_path / "query_stats.json.gz"),
                built_from_sources(corpus, indexer.manifest.active_hashes()))  # fmt: skip
    assert indexer.stats.missing(indexer.manifest.active_hashes()) == set()
    assert indexer.refresh_stats() is False


def test_instance_that_does_not_index_catches_up_when_the_shared_manifest_changes(tmp_path, corpus):
    """Scale-out: A indexes; B shares the manifest, keeps its own statistics file, and catches
    up (its own Indexer reads the changed documents) when the manifest changes."""
    shared = tmp_path / "shared"
    a, b = make_indexer(tmp_path / "a"), make_indexer(tmp_path / "b")
    # both on one manifest (the database in production)
    a.manifest, b.manifest = Manifest(shared / "manifest.sqlite"), Manifest(shared / "manifest.sqlite")
    a.index_paths([corpus / "luat-kbcb-2023-giay-phep-hanh-nghe.md"])
    holder = CorpusStatsHolder(tmp_path / "b" / "query_stats.json.gz", check_every_s=0.0,
                               manifest_marker=b.manifest.change_marker, catch_up=b.refresh_stats)  # fmt: skip
    b.refresh_stats()  # B's start
    first = holder.current()
    a.index_paths([corpus])
    holder.current()
    deadline = time.monotonic() + 10
    while holder.peek() is first and time.monotonic() < deadline:
        time.sleep(0.02)
    assert_same(holder.peek(), built_from_sources(corpus, b.manifest.active_hashes()))
