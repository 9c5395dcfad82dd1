"""Statistics of the indexed corpus that query understanding and answering need: syllable
document frequencies (IDF for evidence and sentence scoring), the diacritic restorer and the
reference catalog. Summed from the documents' shares (`assistant.stats_counts`) that the
Indexer hands to `assistant.stats_store.CorpusStatsStore` during a run, saved next to the index
(`query_stats.json.gz`) and read by `assistant.stats_live.CorpusStatsHolder`."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from assistant.answering.lexical import Idf, corpus_idf
from assistant.catalog import UnitCatalog
from assistant.core.domain import Document
from assistant.restore import QUESTION_PHRASES, DiacriticRestorerModel
from assistant.stats_counts import DocumentCounts, count_document, total

log = logging.getLogger(__name__)

FORMAT_VERSION = 1


@dataclass
class CorpusStats:
    fingerprint: str
    n_units: int
    doc_freq: dict[str, int]
    restorer: DiacriticRestorerModel
    catalog: UnitCatalog

    @property
    def idf(self) -> Idf:
        return corpus_idf(self.doc_freq, max(self.n_units, 1))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": FORMAT_VERSION,
            "fingerprint": self.fingerprint,
            "n_units": self.n_units,
            "doc_freq": self.doc_freq,
            "restorer": self.restorer.to_dict(),
            "catalog": self.catalog.to_rows(),
        }
        tmp = path.with_suffix(".tmp")
        with gzip.open(tmp, "wt", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> CorpusStats | None:
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            log.info("no usable corpus statistics", extra={"path": str(path), "error": str(exc)})
            return None
        if data.get("version") != FORMAT_VERSION:
            return None
        return cls(
            fingerprint=data["fingerprint"],
            n_units=data["n_units"],
            doc_freq=data["doc_freq"],
            restorer=DiacriticRestorerModel.from_dict(data["restorer"]),
            catalog=UnitCatalog.from_rows(data["catalog"]),
        )


def fingerprint(active: dict[str, str]) -> str:
    """Identifies the set of live document versions (doc_id -> doc_hash) and the way the
    statistics are built (a changed phrase list rebuilds them)."""
    recipe = f"{FORMAT_VERSION}:{hashlib.sha256(QUESTION_PHRASES.encode()).hexdigest()[:12]}"
    joined = recipe + "\n" + "\n".join(f"{k}:{v}" for k, v in sorted(active.items()))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def build_stats(documents: Iterable[Document], print_: str) -> CorpusStats:
    """`print_` is the fingerprint of the manifest state the documents belong to."""
    return stats_from_counts(total(count_document(d) for d in documents), print_)


def stats_from_counts(counts: DocumentCounts, print_: str) -> CorpusStats:
    """The statistics of a corpus from the sum of its documents' shares."""
    return CorpusStats(
        fingerprint=print_,
        n_units=counts.n_units,
        doc_freq=dict(counts.doc_freq),
        restorer=DiacriticRestorerModel.from_counts(counts.unigrams, counts.bigrams),
        catalog=UnitCatalog.from_rows(counts.catalog),
    )


def load_or_build(
    path: Path, print_: str, documents: Callable[[], Iterable[Document]]
) -> CorpusStats:
    """The saved statistics when they match `print_`, else rebuilt from `documents()`."""
    stats = CorpusStats.load(path)
    if stats is not None and stats.fingerprint == print_:
        return stats
    log.info("building corpus statistics", extra={"path": str(path)})
    stats = build_stats(documents(), print_)
    stats.save(path)
    return stats
