"""The corpus statistics written as part of an index run: the Indexer hands each document it
loads to this store (its share, `assistant.stats_counts`, kept in SQLite by doc id and version),
and at the end of the run the shares of the live versions are summed into the statistics file
that the query side reads (`assistant.stats_live.CorpusStatsHolder`). Nothing is read from the
sources here."""

from __future__ import annotations

import gzip
import json
import logging
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path

from assistant.core.domain import Document
from assistant.corpus_stats import fingerprint, stats_from_counts
from assistant.stats_counts import DocumentCounts, count_document, total

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS shares (
    doc_id TEXT NOT NULL,
    doc_hash TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    data BLOB NOT NULL,
    PRIMARY KEY (doc_id, doc_hash)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_WRITTEN = "written_fingerprint"


class CorpusStatsStore:
    """Implements `assistant.core.interfaces.CorpusStatsSink`. `stats_path` is the statistics
    file, `shares_path` the SQLite file of the documents' shares (created on first use)."""

    def __init__(self, stats_path: Path, shares_path: Path) -> None:
        self.stats_path = Path(stats_path)
        self.shares_path = Path(shares_path)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.shares_path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.shares_path, timeout=30)) as conn:
            conn.executescript(_SCHEMA)
            with conn:  # one transaction
                yield conn

    def add(self, doc_id: str, doc_hash: str, document: Document) -> None:
        share = json.dumps(count_document(document).to_dict(), ensure_ascii=False).encode()
        share = gzip.compress(share, compresslevel=1)  # speed over size: ~1.2x bigger, ~20x faster
        with self._db() as db:
            db.execute(
                "INSERT OR REPLACE INTO shares (doc_id, doc_hash, source, data) VALUES (?, ?, ?, ?)",
                (doc_id, doc_hash, document.source, share),
            )

    def missing(self, active: Mapping[str, str]) -> set[str]:
        with self._db() as db:
            have = set(db.execute("SELECT doc_id, doc_hash FROM shares"))
        return {doc_id for doc_id, doc_hash in active.items() if (doc_id, doc_hash) not in have}

    def commit(self, active: Mapping[str, str], pending: Mapping[str, str] | None = None) -> bool:
        """Writes the statistics of the live versions (`active`: doc_id -> doc_hash) that have a
        share, and forgets the shares of other versions except `pending` ones (a run storing
        them now). Nothing is written when the file already holds them. True if written."""
        started = time.perf_counter()
        with self._db() as db:
            rows = db.execute("SELECT doc_id, doc_hash, source FROM shares").fetchall()
            keep = {*active.items(), *(pending or {}).items()}
            stale = [(d, h) for d, h, _ in rows if (d, h) not in keep]
            db.executemany("DELETE FROM shares WHERE doc_id = ? AND doc_hash = ?", stale)
            live = sorted((source, d, h) for d, h, source in rows if active.get(d) == h)
            print_ = fingerprint({d: h for _, d, h in live})
            written = db.execute("SELECT value FROM meta WHERE key = ?", (_WRITTEN,)).fetchone()
            if written and written[0] == print_ and self.stats_path.exists():
                return False
            counts = total(self._shares(db, live))
            stats_from_counts(counts, print_).save(self.stats_path)
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (_WRITTEN, print_))
        log.info(
            "corpus statistics written",
            extra={"documents": len(live), "units": counts.n_units, "missing": len(set(active) - {d for _, d, _ in live}),
                   "seconds": round(time.perf_counter() - started, 3)},
        )  # fmt: skip
        return True

    @staticmethod
    def _shares(db: sqlite3.Connection, live: list[tuple[str, str, str]]) -> Iterator[DocumentCounts]:
        for _, doc_id, doc_hash in live:
            (data,) = db.execute(
                "SELECT data FROM shares WHERE doc_id = ? AND doc_hash = ?", (doc_id, doc_hash)
            ).fetchone()
            yield DocumentCounts.from_dict(json.loads(gzip.decompress(data)))
