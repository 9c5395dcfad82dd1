"""The corpus statistics of the live index, kept current while the service runs, and the
adapters through which query understanding and answering read them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.answering.lexical import Idf
from assistant.corpus_stats import CorpusStats, fingerprint, load_or_build
from assistant.core.domain import Document
from assistant.references import Reference

log = logging.getLogger(__name__)


class CorpusStatsHolder:
    """The corpus statistics for the live index; rebuilt (in the background, the old ones
    still serving) when the manifest's live versions change."""

    def __init__(self, path: Path, manifest: Any, check_every_s: float = 2.0) -> None:
        self.path = path
        self.manifest = manifest
        self.check_every_s = check_every_s
        self._checked = 0.0
        self._stats: CorpusStats | None = None
        self._marker: object = None
        self._lock = threading.Lock()
        self._building = False

    def current(self) -> CorpusStats | None:
        """The statistics; checks the manifest for changes at most every `check_every_s`."""
        now = time.monotonic()
        if self._stats is not None and now - self._checked < self.check_every_s:
            return self._stats
        self._checked = now
        marker = self.manifest.change_marker()
        if self._stats is None:
            with self._lock:
                if self._stats is None:
                    self._stats, self._marker = self._build(), marker
        elif marker != self._marker and not self._building:
            self._marker, self._building = marker, True
            threading.Thread(target=self._rebuild, name="corpus-stats", daemon=True).start()
        return self._stats

    def peek(self) -> CorpusStats | None:
        """The statistics in use, without checking the manifest (hot paths)."""
        return self._stats

    def _build(self) -> CorpusStats:
        records = self.manifest.list()
        active = {r.doc_id: r.doc_hash for r in records}
        return load_or_build(self.path, fingerprint(active), lambda: _documents(records))

    def _rebuild(self) -> None:
        try:
            self._stats = self._build()
        except Exception:  # keep serving the old statistics
            log.exception("rebuilding corpus statistics failed")
        finally:
            self._building = False


def _documents(records: list[Any]) -> Iterator[Document]:
    """The live documents, reloaded from their source files with the project's loaders."""
    from indexing.loaders import load_path

    wanted = {r.doc_id for r in records}
    sources = dict.fromkeys((r.source.split("#", 1)[0], r.format, r.audience) for r in records)
    for source, fmt, audience in sources:
        try:
            for document in load_path(Path(source), fmt=fmt, audience=audience):
                if document.doc_id in wanted:
                    yield document
        except Exception as exc:  # a moved file must not stop the others
            log.warning("cannot reload source for statistics", extra={"source": source, "error": repr(exc)})


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
