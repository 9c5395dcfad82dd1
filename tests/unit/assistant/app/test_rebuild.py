"""`troly index --rebuild`: a new index built beside the live one (which keeps serving), switched
in when complete — at once, or at the next start when a server holds the live index; the corpus
statistics written by the rebuild are switched in with its index, so the restarted server reads
statistics of the index it serves without a catch-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.embedder import FakeEmbedder

from assistant.core.errors import ConfigError
from assistant.app.index import build_index
from assistant.core.settings import Settings
from assistant.app.rebuild import rebuild
from assistant.corpus_stats import CorpusStats, fingerprint
from indexing.rebuild import PREVIOUS_DIRNAME, READY_MARK, REBUILD_DIRNAME

TEXT = "Văn bản {n}\n\nĐiều 1. Phạm vi\nThông tư số {n} quy định cấp giấy phép hành nghề dược.\n"


def embedder(model_id: str) -> FakeEmbedder:
    fake = FakeEmbedder()
    fake.model_id = model_id
    return fake


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Settings, Path]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"doc-{n}.txt").write_text(TEXT.format(n=n), encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data")
    live = build_index(settings, embedder=embedder("model-a"))
    try:
        assert live.indexer.index_paths([corpus]).added == 3
    finally:
        live.close()
    return settings, corpus


def test_rebuild_while_serving_switches_at_next_start(setup) -> None:
    settings, corpus = setup
    server = build_index(settings, embedder=embedder("model-a"))  # holds the live index
    try:
        summary, switched = rebuild(settings, [corpus], embedder=embedder("model-b"))
        assert summary.added == 3 and not switched
        assert (settings.data_dir / REBUILD_DIRNAME / READY_MARK).is_file()
        assert server.manifest.meta("dense_model") == "model-a"  # the old one still serves
        assert server.store.count() > 0
    finally:
        server.close()
    restarted = build_index(settings, embedder=embedder("model-b"))
    try:
        assert restarted.manifest.meta("dense_model") == "model-b"
        assert len(restarted.manifest.list()) == 3 and restarted.store.count() > 0
        assert restarted.indexer.index_paths([corpus]).unchanged == 3
    finally:
        restarted.close()
    assert (settings.data_dir / PREVIOUS_DIRNAME / "manifest.sqlite").is_file()
    assert not (settings.data_dir / REBUILD_DIRNAME / READY_MARK).exists()
    old_model = build_index(settings, embedder=embedder("model-a"))
    try:
        with pytest.raises(ConfigError, match="model-b"):
            old_model.indexer.index_paths([corpus])
    finally:
        old_model.close()


def test_rebuild_with_no_server_switches_at_once_and_failures_keep_the_live_index(setup) -> None:
    settings, corpus = setup
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 not a pdf")
    summary, switched = rebuild(settings, [corpus], embedder=embedder("model-b"))
    assert summary.failed and not switched
    live = build_index(settings, embedder=embedder("model-a"))
    try:
        assert live.manifest.meta("dense_model") == "model-a"
    finally:
        live.close()
    (corpus / "broken.pdf").unlink()
    summary, switched = rebuild(settings, [corpus], embedder=embedder("model-b"))
    assert switched and summary.failed == []
    now = build_index(settings, embedder=embedder("model-b"))
    try:
        assert now.manifest.meta("dense_model") == "model-b" and len(now.manifest.list()) == 3
    finally:
        now.close()


def test_rebuild_switches_the_statistics_with_the_index(setup) -> None:
    settings, corpus = setup
    before = CorpusStats.load(settings.stats_path)
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
