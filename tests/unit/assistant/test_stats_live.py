"""CorpusStatsHolder: built once, rebuilt in the background when the manifest changes."""

from __future__ import annotations

import time

from assistant.core.domain import DocumentRecord
from assistant.stats_live import CorpusStatsHolder


class FakeManifest:
    def __init__(self) -> None:
        self.marker = (1, 0)
        self.records: list[DocumentRecord] = []

    def change_marker(self):
        return self.marker

    def list(self):
        return list(self.records)


def test_stats_holder_builds_once_and_rebuilds_after_manifest_change(tmp_path, monkeypatch):
    builds = []
    monkeypatch.setattr("assistant.stats_live._documents", lambda records: builds.append(len(records)) or [])
    manifest = FakeManifest()
    holder = CorpusStatsHolder(tmp_path / "stats.json.gz", manifest, check_every_s=0.0)
    first = holder.current()
    assert first is not None and holder.current() is first and builds == [0]
    manifest.records = [DocumentRecord("d1", "a.txt", "text", "A", "f", "h2", 1, "", 1)]
    manifest.marker = (2, 0)
    holder.current()
    deadline = time.monotonic() + 5
    while holder.peek() is first and time.monotonic() < deadline:
        time.sleep(0.01)
    assert holder.peek() is not first and builds == [0, 1]
