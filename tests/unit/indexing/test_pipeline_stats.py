"""The Indexer feeds a CorpusStatsSink: each document version it stores, before the manifest
activates it; a commit at the end of a run and after a delete; live documents the sink lacks are
read once more; a failing sink never fails the run."""

from __future__ import annotations

from pathlib import Path

from fakes.embedder import FakeEmbedder
from fakes.retrieval import FakeSparseEncoder, FakeStore

from indexing.cache import TextCache
from indexing.manifest import Manifest
from indexing.pipeline import Indexer

TEXT = "Điều 1. Phạm vi\nThông tư này quy định về giấy phép hành nghề.\n"


class RecordingSink:
    def __init__(self, manifest: Manifest) -> None:
        self.manifest = manifest
        self.shares: dict[tuple[str, str], bool] = {}  # -> was it live when added
        self.commits: list[dict[str, str]] = []
        self.broken = False

    def add(self, doc_id, doc_hash, document):
        if self.broken:
            raise OSError("disk full")
        self.shares[(doc_id, doc_hash)] = self.manifest.active_hashes().get(doc_id) == doc_hash

    def missing(self, active):
        return {d for d, h in active.items() if (d, h) not in self.shares}

    def commit(self, active, pending=None):
        self.commits.append(dict(active))
        return True


def make_indexer(tmp_path: Path) -> Indexer:
    manifest = Manifest(tmp_path / "manifest.sqlite")
    return Indexer(
        embedder=FakeEmbedder(), sparse=FakeSparseEncoder(), store=FakeStore(), manifest=manifest,
        cache=TextCache(tmp_path / "cache.sqlite", "dense:test"), stats=RecordingSink(manifest),
    )  # fmt: skip


def test_indexer_hands_each_new_version_to_the_sink_before_activating_it(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TEXT.replace("giấy phép", "chứng chỉ"), encoding="utf-8")
    indexer = make_indexer(tmp_path)
    indexer.index_paths([tmp_path / "a.txt", tmp_path / "b.txt"])
    active = indexer.manifest.active_hashes()
    assert set(indexer.stats.shares) == set(active.items())
    assert not any(indexer.stats.shares.values())  # none was live yet
    assert indexer.stats.commits == [active]
    indexer.delete_document(next(iter(active)))
    assert indexer.stats.commits[-1] == indexer.manifest.active_hashes() and len(indexer.stats.commits[-1]) == 1


def test_indexer_reads_documents_again_for_a_sink_that_lacks_them(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    indexer = make_indexer(tmp_path)
    indexer.index_paths([tmp_path / "a.txt"])
    indexer.stats.shares.clear()  # e.g. an index built before the statistics were written
    indexer.index_paths([tmp_path / "a.txt"])  # unchanged: nothing stored, the sink caught up
    assert set(indexer.stats.shares) == set(indexer.manifest.active_hashes().items())


def test_failing_sink_never_fails_the_run(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    indexer = make_indexer(tmp_path)
    indexer.stats.broken = True
    summary = indexer.index_paths([tmp_path / "a.txt"])
    assert (summary.added, summary.failed) == (1, [])
    assert indexer.stats.shares == {} and len(indexer.stats.commits) == 1
