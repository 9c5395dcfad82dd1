"""Statistics of the indexed corpus that query understanding and answering need: syllable
document frequencies (IDF for evidence and sentence scoring), the diacritic restorer and the
reference catalog. Built from the indexed documents (reloaded with the project's loaders),
saved next to the index and rebuilt when the manifest's live versions change."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path

from assistant.answering.lexical import Idf, corpus_idf
from assistant.catalog import UnitCatalog, make_entry
from assistant.core.domain import Document
from assistant.restore import QUESTION_PHRASES, DiacriticRestorerModel
from assistant.core.text import fold_accents

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
_SYLLABLE = re.compile(r"[^\W_]+")


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


def _source_dict(source: object) -> dict:
    if source is None:
        return {}
    if is_dataclass(source) and not isinstance(source, type):
        return asdict(source)
    return dict(source) if isinstance(source, dict) else {}


def build_stats(documents: Iterable[Document], print_: str) -> CorpusStats:
    """`print_` is the fingerprint of the manifest state the documents belong to."""
    doc_freq: Counter[str] = Counter()
    texts: list[str] = []
    entries = []
    n_units = 0
    for document in documents:
        for section in document.sections:
            text = f"{section.heading}\n{section.text}"
            texts.append(text)
            n_units += 1
            doc_freq.update({fold_accents(s) for s in _SYLLABLE.findall(text.lower())})
            if not section.unit_id:
                continue
            src = _source_dict(section.source)
            entries.append(
                make_entry(
                    section.unit_id,
                    document_number=str(src.get("document_number") or document.document_number),
                    document_type=str(src.get("document_type") or document.document_type),
                    title=str(src.get("title") or document.title),
                    original_article=str(src.get("original_article") or ""),
                )
            )
    return CorpusStats(
        fingerprint=print_,
        n_units=n_units,
        doc_freq=dict(doc_freq),
        restorer=DiacriticRestorerModel.train(texts),
        catalog=UnitCatalog(entries),
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
