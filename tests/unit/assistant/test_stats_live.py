"""CorpusStatsHolder: read once, read again in the background when an index run writes new
statistics (the old ones serve meanwhile); never from the sources."""

from __future__ import annotations

import time

from assistant.core.domain import Document, Section
from assistant.corpus_stats import CorpusStats
from assistant.stats_live import CorpusStatsHolder
from assistant.stats_store import CorpusStatsStore


def test_stats_holder_builds_once_and_rebuilds_after_manifest_change(tmp_path, monkeypatch):
    builds = []
    load = CorpusStats.load
    monkeypatch.setattr(CorpusStats, "load", classmethod(lambda cls, path: builds.append(len(builds)) or load(path)))
    store = CorpusStatsStore(tmp_path / "stats.json.gz", tmp_path / "shares.sqlite")
    store.commit({})
    holder = CorpusStatsHolder(tmp_path / "stats.json.gz", check_every_s=0.0)
    first = holder.current()
    assert first is not None and holder.current() is first and builds == [0]
    store.add("d1", "h2", Document("d1", "a.txt", "text", "A", [Section("Thẻ bảo hiểm y tế")]))
    store.commit({"d1": "h2"})  # an index run activated d1
    holder.current()
    deadline = time.monotonic() + 5
    while holder.peek() is first and time.monotonic() < deadline:
        time.sleep(0.01)
    assert holder.peek() is not first and builds == [0, 1]
    assert holder.peek().n_units == 1


def test_stats_holder_without_file_serves_an_empty_corpus(tmp_path):
    holder = CorpusStatsHolder(tmp_path / "none.json.gz", check_every_s=0.0)
    stats = holder.current()
    assert stats is not None and stats.n_units == 0
    assert stats.restorer.restore("la gi") == "là gì"  # the built-in question phrases


def test_stats_holder_keeps_serving_when_the_file_goes_bad(tmp_path):
    path = tmp_path / "stats.json.gz"
    CorpusStatsStore(path, tmp_path / "shares.sqlite").commit({})
    holder = CorpusStatsHolder(path, check_every_s=0.0)
    first = holder.current()
    path.write_bytes(b"not gzip")
    holder.current()
    time.sleep(0.2)
    assert holder.current() is first


def test_stats_store_keeps_the_shares_of_versions_being_stored(tmp_path):
    store = CorpusStatsStore(tmp_path / "stats.json.gz", tmp_path / "shares.sqlite")
    document = Document("d1", "a.txt", "text", "A", [Section("Thẻ bảo hiểm y tế")])
    store.add("d1", "h1", document)
    store.add("d1", "h2", document)  # a run storing the next version
    store.commit({"d1": "h1"}, {"d1": "h2"})
    assert store.missing({"d1": "h2"}) == set()
    store.commit({"d1": "h2"})
    assert store.missing({"d1": "h1"}) == {"d1"}
