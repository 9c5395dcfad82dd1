"""Exact references rank first: a question naming "Điều 13 Luật Dược", "45.4.LQ.13", a TTHC code
or "Thông tư 46/2018/TT-BYT" gets those units at the top, whatever the similarity scores say.

Units named directly (Pháp điển ids, TTHC codes) or found in the `ReferenceCatalog` are fetched
from the store with a unit-id filter, so they rank first even when neither retriever found them.
Hits already retrieved whose metadata matches a reference are promoted too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Protocol

from assistant.core.domain import ScoredChunk, SearchFilter
from assistant.query import QueryAnalysis
from assistant.references import Reference, chunk_matches

# search(filters, limit) -> hits, re-using the query vectors the retriever already computed
Search = Callable[[SearchFilter, int], list[ScoredChunk]]

BOOST_SPECIFIC = 2.0  # an article / unit / procedure named in the question
BOOST_CONTEXT = 1.5  # the unit the previous answer cited (a follow-up question)
BOOST_DOCUMENT = 1.0  # a unit of a document whose number is in the question


class ReferenceCatalog(Protocol):
    """Which unit ids a reference names (e.g. "Điều 13" of "105/2016/QH13" -> "45.4.LQ.13")."""

    def unit_ids(self, ref: Reference) -> list[str]: ...


def _tier(ref: Reference) -> float:
    if ref.kind == "document_number":
        return BOOST_DOCUMENT
    if ref.kind == "context_unit":
        return BOOST_CONTEXT
    return BOOST_SPECIFIC


def _usable(ref: Reference) -> bool:
    """An article number alone ("Điều 5") names nothing: every law has one."""
    return ref.kind != "article" or bool(ref.document)


class ReferenceBooster:
    def __init__(self, catalog: ReferenceCatalog | None = None, fetch_limit: int = 20) -> None:
        self.catalog = catalog
        self.fetch_limit = fetch_limit

    def named_units(self, refs: Sequence[Reference]) -> dict[str, float]:
        units: dict[str, float] = {}
        for ref in refs:
            direct = ref.kind in ("unit_id", "tthc_code", "context_unit")
            ids = _spellings(ref.value) if direct else []
            if not ids and self.catalog is not None:
                ids = self.catalog.unit_ids(ref)
            for unit in ids:
                units[unit] = max(units.get(unit, 0.0), _tier(ref))
        return units

    def boost(
        self,
        analysis: QueryAnalysis,
        hits: list[ScoredChunk],
        filters: SearchFilter,
        search: Search,
    ) -> list[ScoredChunk]:
        refs = [r for r in analysis.references if _usable(r)]
        if not refs:
            return hits
        named = self.named_units(refs)
        pool = {h.chunk.chunk_id: h for h in hits}
        if named:
            restricted = replace(filters, unit_ids=tuple(named))
            limit = max(self.fetch_limit, len(named))
            for hit in search(restricted, limit):
                pool.setdefault(hit.chunk.chunk_id, hit)
        order = {cid: i for i, cid in enumerate(pool)}
        boosted = []
        for hit in pool.values():
            tier = max([named.get(_unit_key(hit), 0.0)] + [
                _tier(r) for r in refs if chunk_matches(hit.chunk, r)
            ])
            scores = {**hit.scores, "boost": tier} if tier else hit.scores
            # a named article is shown from its beginning: its first part leads
            part = _part(hit) if tier >= BOOST_SPECIFIC else 0
            boosted.append((tier, part, order[hit.chunk.chunk_id], ScoredChunk(hit.chunk, hit.score + tier, scores)))
        boosted.sort(key=lambda item: (-item[0], item[1], item[2]))
        return [item[3] for item in boosted]


def _part(hit: ScoredChunk) -> int:
    try:
        return int(hit.chunk.metadata.get("part") or 1)
    except (TypeError, ValueError):
        return 1


def _unit_key(hit: ScoredChunk) -> str:
    return hit.chunk.unit_id


def _spellings(unit_id: str) -> list[str]:
    """A Pháp điển id as typed (folded: "45.4.ND.1.1") and as stored ("45.4.NĐ.1.1")."""
    spelled = unit_id.replace(".ND.", ".NĐ.").replace(".QD.", ".QĐ.")
    return list(dict.fromkeys([unit_id, spelled]))
