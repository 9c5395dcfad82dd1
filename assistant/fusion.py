"""Fusing ranked lists from the dense and the sparse retriever.

Two methods, chosen by `RetrievalConfig.fusion` and compared on the development sets:
- "rrf": reciprocal rank fusion, score = Σ w / (k + rank); robust, ignores score scales.
- "weighted": min-max normalised scores, score = Σ w · norm(score); keeps score gaps.
Each fused hit keeps the per-retriever scores in `ScoredChunk.scores` (e.g. "dense", "sparse").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant.core.domain import ScoredChunk


def rrf_fuse(
    ranked: Mapping[str, Sequence[ScoredChunk]],
    weights: Mapping[str, float] | None = None,
    k: float = 60.0,
) -> list[ScoredChunk]:
    """Reciprocal rank fusion of several ranked lists keyed by retriever name."""
    fused: dict[str, ScoredChunk] = {}
    for name, hits in ranked.items():
        weight = (weights or {}).get(name, 1.0)
        if weight <= 0:
            continue
        for rank, hit in enumerate(hits, start=1):
            item = _merge(fused, hit, name)
            item.score += weight / (k + rank)
    return _sorted(fused)


def weighted_fuse(
    ranked: Mapping[str, Sequence[ScoredChunk]],
    weights: Mapping[str, float] | None = None,
) -> list[ScoredChunk]:
    """Weighted sum of min-max normalised scores (a hit absent from a list scores 0 there)."""
    fused: dict[str, ScoredChunk] = {}
    for name, hits in ranked.items():
        weight = (weights or {}).get(name, 1.0)
        if weight <= 0 or not hits:
            continue
        scores = [h.score for h in hits]
        low, high = min(scores), max(scores)
        span = high - low
        for hit in hits:
            item = _merge(fused, hit, name)
            item.score += weight * ((hit.score - low) / span if span > 0 else 1.0)
    return _sorted(fused)


def fuse(
    method: str,
    ranked: Mapping[str, Sequence[ScoredChunk]],
    weights: Mapping[str, float] | None = None,
    rrf_k: float = 60.0,
) -> list[ScoredChunk]:
    if method == "weighted":
        return weighted_fuse(ranked, weights)
    if method == "rrf":
        return rrf_fuse(ranked, weights, rrf_k)
    raise ValueError(f"unknown fusion method {method!r} (rrf | weighted)")


def _merge(fused: dict[str, ScoredChunk], hit: ScoredChunk, name: str) -> ScoredChunk:
    item = fused.get(hit.chunk.chunk_id)
    if item is None:
        item = ScoredChunk(chunk=hit.chunk, score=0.0, scores=dict(hit.scores))
        fused[hit.chunk.chunk_id] = item
    else:
        item.scores.update(hit.scores)
    item.scores[name] = max(hit.score, item.scores.get(name, hit.score))
    return item


def _sorted(fused: dict[str, ScoredChunk]) -> list[ScoredChunk]:
    return sorted(fused.values(), key=lambda h: (-h.score, h.chunk.chunk_id))
