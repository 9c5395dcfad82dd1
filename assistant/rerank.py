"""Optional cross-encoder reranking (off by default: no reranker model ships offline).

`settings.reranker_model` names any sentence-transformers CrossEncoder (a hub name available in
the local cache, or a directory). The model loads on first use; load errors become ModelError.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from assistant.core.domain import ScoredChunk
from assistant.core.errors import ModelError

log = logging.getLogger(__name__)


class Reranker(Protocol):
    def rerank(self, query: str, hits: Sequence[ScoredChunk]) -> list[ScoredChunk]: ...


class CrossEncoderReranker:
    """Scores (question, chunk text) pairs with a CrossEncoder and reorders the hits."""

    def __init__(self, model: str, *, device: str = "cpu", batch_size: int = 16, max_length: int = 512) -> None:
        if not model:
            raise ModelError("Chưa cấu hình mô hình xếp hạng lại (reranker_model) / no reranker model set")
        self.model_name = model
        self.device = device
        self.batch_size = batch_size
        self.max_length = max_length
        self._model: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        self._load()

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import CrossEncoder

                    self._model = CrossEncoder(
                        self.model_name, device=self.device, max_length=self.max_length
                    )
                except Exception as exc:  # library raises OSError, ValueError, HF errors...
                    raise ModelError(
                        f"Không tải được mô hình xếp hạng lại '{self.model_name}' (reranker_model) / "
                        f"cannot load reranker: {exc}"
                    ) from exc
            return self._model

    def rerank(self, query: str, hits: Sequence[ScoredChunk]) -> list[ScoredChunk]:
        if not hits:
            return []
        model = self._load()
        pairs = [(query, h.chunk.embed_text or h.chunk.text) for h in hits]
        scores = model.predict(pairs, batch_size=self.batch_size, show_progress_bar=False)
        rescored = [
            ScoredChunk(h.chunk, float(s), {**h.scores, "rerank": float(s)})
            for h, s in zip(hits, scores, strict=True)
        ]
        return sorted(rescored, key=lambda h: -h.score)


def build_reranker(model: str, device: str = "cpu") -> Reranker | None:
    """None when no model is configured (the default)."""
    return CrossEncoderReranker(model, device=device) if model else None
