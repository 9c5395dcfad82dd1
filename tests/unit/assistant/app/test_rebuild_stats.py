"""`troly index --rebuild`: the corpus statistics written by the rebuild are switched in with
its index, so the restarted server reads statistics of the index it serves without a catch-up."""

from __future__ import annotations

from pathlib import Path

from fakes.embedder import FakeEmbedder

from assistant.app.index import build_index
from assistant.app.rebuild import rebuild
from assistant.core.settings import Settings
from assistant.corpus_stats import CorpusStats, fingerprint

TEXT = "Văn bản {n}\n\nĐiều 1. Phạm vi\nThông tư số {n} quy định cấp giấy phép hành nghề dược.\n"


def embedder(model_id: str) -> FakeEmbedder:
    fake = FakeEmbedder()
    fake.model_id = model_id
    return fake


def test_rebuild_switches_the_statistics_with_the_index(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"doc-{n}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    live = build_index(settings, embedder=embedder("model-a"))
    try:
        live.indexer.index_paths([corpus])
        before = CorpusStats.load(settings.stats_path)
    finally:
        live.close()
    assert before is not None and before.n_units > 0
    summary, switched = rebuild(settings, [corpus], embedder=embedder("model-b"))
    assert summary.added == 3 and switched
    restarted = build_index(settings, embedder=embedder("model-b"))
    try:
        after = CorpusStats.load(settings.stats_path)
        active = restarted.manifest.active_hashes()
        assert after is not None and after.fingerprint == fingerprint(active) != before.fingerprint
        assert restarted.indexer.stats.missing(active) == set()
        assert restarted.indexer.refresh_stats() is False  # nothing to catch up
    finally:
        restarted.close()
