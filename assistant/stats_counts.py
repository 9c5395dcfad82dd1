"""One document's share of the corpus statistics. Every part adds up across documents (unit
count, syllable document frequencies, the restorer's raw syllable and pair counts, catalog
entries), so the statistics of a corpus are the sum of its documents' shares and a changed
document only replaces its own share."""

from __future__ import annotations

import re
from functools import lru_cache
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, is_dataclass

from assistant.catalog import UnitCatalog, make_entry
from assistant.core.domain import Document
from assistant.core.text import fold_accents
from assistant.restore import count_syllables

_SYLLABLE = re.compile(r"[^\W_]+")
_fold = lru_cache(maxsize=1 << 16)(fold_accents)  # a few thousand distinct syllables


@dataclass
class DocumentCounts:
    n_units: int = 0
    doc_freq: Counter[str] = field(default_factory=Counter)  # folded syllable -> units having it
    unigrams: Counter[str] = field(default_factory=Counter)  # restorer counts, not yet pruned
    bigrams: Counter[str] = field(default_factory=Counter)
    catalog: list[list[object]] = field(default_factory=list)  # UnitCatalog rows

    def add(self, other: DocumentCounts) -> None:
        self.n_units += other.n_units
        self.doc_freq.update(other.doc_freq)
        self.unigrams.update(other.unigrams)
        self.bigrams.update(other.bigrams)
        self.catalog.extend(other.catalog)

    def to_dict(self) -> dict[str, object]:
        return {"n_units": self.n_units, "doc_freq": self.doc_freq, "unigrams": self.unigrams,
                "bigrams": self.bigrams, "catalog": self.catalog}  # fmt: skip

    @classmethod
    def from_dict(cls, data: dict) -> DocumentCounts:
        return cls(
            n_units=int(data["n_units"]),
            doc_freq=Counter(data["doc_freq"]),
            unigrams=Counter(data["unigrams"]),
            bigrams=Counter(data["bigrams"]),
            catalog=list(data["catalog"]),
        )


def count_document(document: Document) -> DocumentCounts:
    """The document's share: each section (heading and text) is one unit."""
    counts = DocumentCounts()
    entries = []
    for section in document.sections:
        text = f"{section.heading}\n{section.text}"
        counts.n_units += 1
        counts.doc_freq.update({_fold(s) for s in set(_SYLLABLE.findall(text.lower()))})
        count_syllables(text, counts.unigrams, counts.bigrams)
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
    counts.catalog = UnitCatalog(entries).to_rows()
    return counts


def total(shares: Iterable[DocumentCounts]) -> DocumentCounts:
    summed = DocumentCounts()
    for share in shares:
        summed.add(share)
    return summed


def _source_dict(source: object) -> dict:
    if source is None:
        return {}
    if is_dataclass(source) and not isinstance(source, type):
        return asdict(source)
    return dict(source) if isinstance(source, dict) else {}
