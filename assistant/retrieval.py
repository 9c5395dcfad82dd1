"""Hybrid retrieval: dense + sparse, fused in our code (the embedded store has no fusion).

Modes, so the evaluation can compare them on the same index:
- "bm25": sparse only; "dense": dense only; "hybrid": both, fused;
- "full" (default): hybrid on the understood query (abbreviations expanded, diacritics restored)
  plus exact-reference boosts ("Thông tư 46/2018/TT-BYT", "Điều 13 Luật Dược", "1.013614").
Every mode drops hits whose document version is not live (VersionGate) and, unless the question
asks about old texts or gives a date, hits from expired or replaced documents.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.core.domain import ScoredChunk, SearchFilter
from assistant.fusion import fuse
from assistant.core.interfaces import Embedder, SparseEncoder, VectorStore, VersionGate
from assistant.query import QueryAnalysis, QueryAnalyzer
from assistant.reference_boost import ReferenceBooster
from assistant.rerank import Reranker
from assistant.validity import ValidityPolicy

log = logging.getLogger(__name__)

MODES = ("bm25", "dense", "hybrid", "full")
_HEADING = re.compile(r"^\s*Điều\s+[\w.]+\.?\s*")
CURRENT_VALIDITIES = ("in_force", "amended", "unknown")


@dataclass(frozen=True)
class RetrievalConfig:
    mode: str = "full"
    # Tuned on ALQAC train (530 q.) and evals/data/health_dev.jsonl: min-max weighted fusion
    # with dense 0.7 / sparse 1.0 beat RRF (k = 5..60, any weights) on nDCG@10 and matched it on
    # Recall@10; RRF k=60 with equal weights fell below BM25 alone on ALQAC.
    fusion: str = "weighted"  # "weighted" | "rrf"
    rrf_k: float = 60.0
    dense_weight: float = 0.7
    sparse_weight: float = 1.0
    no_diacritics_dense_weight: float = 0.3  # dense is weak on unaccented text without restoring
    candidates: int = 80  # per retriever, before gate/fusion (min-max needs a deep list)
    max_chunks_per_unit: int = 1
    rerank_depth: int = 30

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown retrieval mode {self.mode!r} ({' | '.join(MODES)})")


def current_filter(filters: SearchFilter | None, analysis: QueryAnalysis) -> SearchFilter:
    """Adds "in force only" unless the caller set validities or the question looks back in time."""
    filters = filters or SearchFilter()
    if filters.validities is None and not analysis.wants_history:
        filters = replace(filters, validities=CURRENT_VALIDITIES)
    return filters


class HybridRetriever:
    """Implements `assistant.query.UnderstandingRetriever` (an `assistant.core.interfaces.Retriever`)."""

    def __init__(
        self,
        embedder: Embedder,
        sparse: SparseEncoder,
        store: VectorStore,
        *,
        gate: VersionGate | None = None,
        analyzer: QueryAnalyzer | None = None,
        config: RetrievalConfig | None = None,
        booster: ReferenceBooster | None = None,
        reranker: Reranker | None = None,
        validity: ValidityPolicy | None = None,
    ) -> None:
        self.embedder = embedder
        self.sparse = sparse
        self.store = store
        self.gate = gate
        self.analyzer = analyzer or QueryAnalyzer()
        self.config = config or RetrievalConfig()
        self.booster = booster
        self.reranker = reranker
        self.validity = validity

    def analyze(self, query: str) -> QueryAnalysis:
        """The question understood (abbreviations, diacritics, synonyms, references)."""
        return self.analyzer.analyze(query)

    def retrieve(
        self, query: str, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]:
        return self.retrieve_analyzed(self.analyze(query), limit, filters)

    def retrieve_analyzed(
        self, analysis: QueryAnalysis, limit: int, filters: SearchFilter | None = None
    ) -> list[ScoredChunk]:
        cfg = self.config
        full = cfg.mode == "full"
        filters = current_filter(filters, analysis)
        dense_text = analysis.dense_text if full else analysis.text
        sparse_text = analysis.sparse_text if full else analysis.text
        depth = max(cfg.candidates, limit * 3)
        ranked: dict[str, list[ScoredChunk]] = {}
        dense_vec = sparse_vec = None
        if cfg.mode != "bm25":
            dense_vec = self.embedder.embed_query(dense_text)
            ranked["dense"] = self._live(self.store.search_dense(dense_vec, depth, filters))
        if cfg.mode != "dense":
            sparse_vec = self.sparse.encode_query(sparse_text)
            ranked["sparse"] = self._live(self.store.search_sparse(sparse_vec, depth, filters))
        hits = self._fuse(ranked, analysis)
        if self.reranker is not None and hits:
            head = self.reranker.rerank(analysis.text, hits[: cfg.rerank_depth])
            hits = head + hits[cfg.rerank_depth :]

        def search(restricted: SearchFilter, n: int) -> list[ScoredChunk]:
            if dense_vec is not None:
                return self._live(self.store.search_dense(dense_vec, n, restricted))
            return self._live(self.store.search_sparse(sparse_vec, n, restricted))

        if full and self.booster is not None and analysis.references:
            hits = self.booster.boost(analysis, hits, filters, search)
        hits = _cap_per_unit(hits, cfg.max_chunks_per_unit)[:limit]
        if self.validity is not None and hits:  # the current provision first, statuses labelled
            hits = self.validity.apply(
                hits, question=analysis.text, history=analysis.wants_history, filters=filters,
                search=search,
            )[:limit]
        return hits

    def _fuse(self, ranked: dict[str, list[ScoredChunk]], analysis: QueryAnalysis) -> list[ScoredChunk]:
        if len(ranked) == 1:
            name, hits = next(iter(ranked.items()))
            return [ScoredChunk(h.chunk, h.score, {**h.scores, name: h.score}) for h in hits]
        cfg = self.config
        dense_weight = cfg.dense_weight
        if cfg.mode == "full" and analysis.lacks_diacritics and not analysis.restored:
            dense_weight = cfg.no_diacritics_dense_weight
        weights = {"dense": dense_weight, "sparse": cfg.sparse_weight}
        return fuse(cfg.fusion, ranked, weights, cfg.rrf_k)

    def _live(self, hits: Sequence[ScoredChunk]) -> list[ScoredChunk]:
        """Hits of live document versions that say something (an article kept only as a
        heading, e.g. a repealed "Điều 45.8.LQ.42.", cannot answer anything)."""
        live = self.gate.active() if self.gate is not None else None
        return [
            h for h in hits
            if has_content(h.chunk.text) and (live is None or live.get(h.chunk.doc_id) == h.chunk.doc_hash)
        ]


def has_content(text: str) -> bool:
    """At least three words after the "Điều …" heading (only the start of the text is read)."""
    heading = _HEADING.match(text)
    start = heading.end() if heading else 0
    return len(text[start : start + 200].split()) >= 3


def _cap_per_unit(hits: list[ScoredChunk], cap: int) -> list[ScoredChunk]:
    if cap <= 0:
        return hits
    seen: dict[str, int] = {}
    kept = []
    for hit in hits:
        key = hit.chunk.unit_id or hit.chunk.chunk_id
        if seen.get(key, 0) < cap:
            seen[key] = seen.get(key, 0) + 1
            kept.append(hit)
    return kept
