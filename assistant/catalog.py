"""Which units a reference names: "Thông tư 46/2018/TT-BYT" → every unit of that circular,
"Điều 13 Luật Dược" → "45.4.LQ.13". Built from the indexed documents' own metadata (the
original document number, type, title and article of each unit), never guessed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.references import Reference, fold_key, same_title, title_key


@dataclass(frozen=True)
class UnitEntry:
    unit_id: str
    document_number: str = ""  # folded upper, e.g. "105/2016/QH13"
    titles: tuple[str, ...] = ()  # title keys, e.g. ("LUAT DUOC", "DUOC")
    article: str = ""  # article number in the original document, e.g. "13"


def make_entry(
    unit_id: str,
    *,
    document_number: str = "",
    document_type: str = "",
    title: str = "",
    original_article: str = "",
) -> UnitEntry:
    number = fold_key(document_number)
    titles = {title_key(title)}
    if document_type and title and not title_key(title).startswith(title_key(document_type)):
        titles.add(title_key(f"{document_type} {title}"))
    article = fold_key(original_article).removeprefix("DIEU").strip().split(" ")[0]
    return UnitEntry(unit_id, number, tuple(sorted(t for t in titles if t)), article)


class UnitCatalog:
    """Implements `assistant.reference_boost.ReferenceCatalog`."""

    def __init__(self, entries: Iterable[UnitEntry] = ()) -> None:
        self.entries = list(entries)
        self._by_number: dict[str, list[str]] = {}
        self._by_article: dict[str, list[UnitEntry]] = {}
        for entry in self.entries:
            if entry.document_number:
                self._by_number.setdefault(entry.document_number, []).append(entry.unit_id)
            if entry.article:
                self._by_article.setdefault(entry.article, []).append(entry)

    def unit_ids(self, ref: Reference) -> list[str]:
        if ref.kind == "document_number":
            return list(dict.fromkeys(self._by_number.get(ref.value, [])))
        if ref.kind != "article" or not ref.document:
            return []
        found = [
            e.unit_id
            for e in self._by_article.get(ref.value, [])
            if e.document_number == ref.document or any(same_title(ref.document, t) for t in e.titles)
        ]
        return list(dict.fromkeys(found))

    def to_rows(self) -> list[list[object]]:
        return [[e.unit_id, e.document_number, list(e.titles), e.article] for e in self.entries]

    @classmethod
    def from_rows(cls, rows: Iterable[list[object]]) -> UnitCatalog:
        return cls(UnitEntry(str(r[0]), str(r[1]), tuple(r[2]), str(r[3])) for r in rows)  # type: ignore[arg-type]
