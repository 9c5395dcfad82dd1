"""Fakes for the Protocols in assistant/interfaces.py, for unit tests of the code around them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from assistant.core.text import fold_accents


class FakeEmbedder:
    """Deterministic bag-of-words hashing embedder: similar texts get similar vectors."""

    model_id = "fake-embedder"

    def __init__(self, dim: int = 64, max_tokens: int = 512) -> None:
        self.dim = dim
        self.max_tokens = max_tokens

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 2

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        for word in fold_accents(text.lower()).split():
            h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
            vec[h % self.dim] += 1.0
        norm = np.linalg.norm(vec)
        return vec / norm if norm else vec

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)

