"""Fusion of dense and sparse ranked lists."""

from __future__ import annotations

import pytest
from fakes.retrieval import make_chunk

from assistant.core.domain import ScoredChunk
from assistant.fusion import fuse, rrf_fuse, weighted_fuse

A, B, C = (make_chunk(u, u) for u in ("a", "b", "c"))


def _ranked(*pairs):
    return [ScoredChunk(chunk, score) for chunk, score in pairs]


def test_fusion_rrf_rewards_agreement_between_lists():
    fused = rrf_fuse({"dense": _ranked((A, 0.9), (B, 0.8)), "sparse": _ranked((B, 9.0), (C, 5.0))})
    assert [h.chunk.unit_id for h in fused] == ["b", "a", "c"]
    assert fused[0].scores == {"dense": 0.8, "sparse": 9.0}


def test_fusion_rrf_weight_zero_ignores_a_list():
    fused = rrf_fuse({"dense": _ranked((A, 0.9)), "sparse": _ranked((C, 1.0))}, {"dense": 0.0})
    assert [h.chunk.unit_id for h in fused] == ["c"]


def test_fusion_weighted_uses_normalised_score_gaps():
    dense = _ranked((A, 0.90), (B, 0.89), (C, 0.10))
    sparse = _ranked((C, 10.0), (B, 1.0), (A, 0.0))
    fused = weighted_fuse({"dense": dense, "sparse": sparse}, {"dense": 1.0, "sparse": 1.0})
    scores = {h.chunk.unit_id: round(h.score, 3) for h in fused}
    assert scores["b"] == pytest.approx(0.9875 + 0.1, abs=1e-3)
    assert scores["c"] == pytest.approx(1.0, abs=1e-3)


def test_fusion_unknown_method_is_an_error():
    with pytest.raises(ValueError):
        fuse("max", {})
