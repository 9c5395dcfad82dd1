"""The corpus statistics of the live index, kept current while the service runs, and the
adapters through which query understanding and answering read them. The statistics are written
by the Indexer's run (`assistant.stats_store.CorpusStatsStore`); here they are only read."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from assistant.answering.lexical import Idf
from assistant.corpus_stats import CorpusStats, build_stats, fingerprint
from assistant.references import Reference

log = logging.getLogger(__name__)


class CorpusStatsHolder:
    """The corpus statistics in the file `path`; read again (in the background, the old ones
    still serving) when the file changes. No file yet: the statistics of an empty corpus.

    Where another process indexes (a manifest shared in the application database), the app
    layer passes `manifest_marker` (the manifest's change marker) and `catch_up` (this
    process's `Indexer.refresh_stats`): a changed manifest runs `catch_up` in the background,
    which writes this process's file, then the file is read again."""

    def __init__(
        self,
        path: Path,
        check_every_s: float = 2.0,
        *,
        manifest_marker: Callable[[], object] | None = None,
        catch_up: Callable[[], object] | None = None,
    ) -> None:
        self.path = Path(path)
        self.check_every_s = check_every_s
        self.manifest_marker = manifest_marker
        self.catch_up = catch_up
        self._checked = 0.0
        self._stats: CorpusStats | None = None
        self._marker: object = None
        self._lock = threading.Lock()
        self._loading = False

    def current(self) -> CorpusStats | None:
        """The statistics; checks the file for changes at most every `check_every_s`."""
        now = time.monotonic()
        if self._stats is not None and now - self._checked < self.check_every_s:
            return self._stats
        self._checked = now
        marker = self._marker_now()
        if self._stats is None:
            with self._lock:
                if self._stats is None:
                    self._stats, self._marker = self._read(), marker
        elif marker != self._marker and not self._loading:
            self._marker, self._loading = marker, True
            threading.Thread(target=self._reload, name="corpus-stats", daemon=True).start()
        return self._stats

    def peek(self) -> CorpusStats | None:
        """The statistics in use, without checking the file (hot paths)."""
        return self._stats

    def _marker_now(self) -> object:
        manifest = self.manifest_marker() if self.manifest_marker is not None else None
        try:
            info = os.stat(self.path)
        except OSError:
            return manifest, None
        return manifest, (info.st_ino, info.st_mtime_ns, info.st_size)

    def _read(self) -> CorpusStats:
        stats = CorpusStats.load(self.path)
        if stats is None:
            log.info("no corpus statistics yet; using those of an empty corpus", extra={"path": str(self.path)})
            return build_stats([], fingerprint({}))
        return stats

    def _reload(self) -> None:
        try:
            if self.catch_up is not None:
                self.catch_up()
            stats = CorpusStats.load(self.path)
            if stats is not None:  # a file being replaced or removed: keep the old statistics
                self._stats = stats
        except Exception:  # keep serving the old statistics
            log.exception("reading corpus statistics failed")
        finally:
            self._loading = False


class LiveRestorer:
    def __init__(self, holder: CorpusStatsHolder) -> None:
        self.holder = holder

    def restore(self, text: str) -> str:
        stats = self.holder.current()
        return stats.restorer.restore(text) if stats else text


class LiveCatalog:
    def __init__(self, holder: CorpusStatsHolder) -> None:
        self.holder = holder

    def unit_ids(self, ref: Reference) -> list[str]:
        stats = self.holder.current()
        return stats.catalog.unit_ids(ref) if stats else []


def live_idf(holder: CorpusStatsHolder) -> Idf:
    cache: dict[int, Idf] = {}

    def idf(term: str) -> float:
        stats = holder.current()
        if stats is None:
            return 1.0
        fn = cache.get(id(stats))
        if fn is None:
            cache.clear()
            fn = cache[id(stats)] = stats.idf
        return fn(term)

    return idf
