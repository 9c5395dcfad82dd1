"""`Embedder` backed by any sentence-transformers model (a local directory or a name already in
the local Hugging Face cache: nothing is ever downloaded)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.core.errors import ConfigError, ModelError
from assistant.core.settings import E5_PASSAGE_PROMPT, E5_QUERY_PROMPT

log = logging.getLogger(__name__)

_LIBRARY_ERRORS = (OSError, ValueError, RuntimeError, ImportError, KeyError, TypeError)


class SentenceTransformerEmbedder:
    """Dense embedder with e5-style prompts. The constructor only stores settings; the model
    loads on first use or in `warm_up()` (once, thread-safe). `dim` and `max_tokens` load it.

    `count_tokens` counts exactly what the model sees for a passage (prompt and special tokens
    included), so a chunker that keeps `count_tokens(text) <= max_tokens` is never truncated.
    """

    def __init__(
        self,
        model_name_or_path: str,
        *,
        query_prompt: str = E5_QUERY_PROMPT,
        passage_prompt: str = E5_PASSAGE_PROMPT,
        batch_size: int = 32,
        device: str = "cpu",
        model_id: str | None = None,
    ) -> None:
        if not str(model_name_or_path).strip():
            raise ConfigError("Chưa cấu hình mô hình embedding / embedding_model is empty")
        if batch_size < 1:
            raise ConfigError(
                f"embedding_batch_size phải >= 1 / must be >= 1 (got {batch_size})"
            )
        self.model_name_or_path = str(model_name_or_path)
        self.model_id = model_id or self.model_name_or_path
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.device = device
        self._model: Any = None
        self._counter: Any = None  # private tokenizers.Tokenizer copy: no truncation, no padding
        self._lock = threading.Lock()
        # One encode at a time: the library's tokenizer switches truncation/padding on a shared
        # Rust object ("Already borrowed" under threads) and torch already uses every core.
        self._encode_lock = threading.Lock()

    # --- loading ---------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the model now (idempotent)."""
        self._load()

    def _load(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    model = self._open()
                    self._counter = _plain_backend(model.tokenizer)
                    self._model = model
        return self._model

    def _open(self) -> Any:
        try:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(
                self.model_name_or_path, device=self.device, local_files_only=True
            )
        except _LIBRARY_ERRORS as exc:
            raise ModelError(
                f"Không nạp được mô hình embedding {self.model_name_or_path} (chạy `troly "
                f"prepare-models`?) / cannot load the embedding model: {exc}"
            ) from exc
        if not model.max_seq_length or not model.get_embedding_dimension():
            raise ModelError(
                f"{self.model_name_or_path}: thiếu max_seq_length hoặc số chiều / "
                "the model declares no max_seq_length or embedding dimension"
            )
        log.info("loaded embedding model %s on %s", self.model_name_or_path, self.device)
        return model

    # --- Embedder protocol -----------------------------------------------------------------
    @property
    def dim(self) -> int:
        return int(self._load().get_embedding_dimension())

    @property
    def max_tokens(self) -> int:
        return int(self._load().max_seq_length)

    def count_tokens(self, text: str) -> int:
        self._load()
        if self._counter is not None:  # the hot path of the chunkers: no batch overhead
            return len(self._counter.encode(self.passage_prompt + text).ids)
        return self.count_tokens_batch([text])[0]

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        """Token counts of `passage_prompt + text`, special tokens included, never truncated."""
        if not texts:
            return []
        tokenizer = self._load().tokenizer
        prompted = [self.passage_prompt + text for text in texts]
        if self._counter is not None:
            encoded = self._counter.encode_batch(prompted, add_special_tokens=True)
            return [len(e.ids) for e in encoded]
        encoded = tokenizer(prompted, add_special_tokens=True, truncation=False, verbose=False)
        return [len(ids) for ids in encoded["input_ids"]]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(list(texts), self.passage_prompt)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.query_prompt)[0]

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        model = self._load()
        try:
            with self._encode_lock:
                vectors = model.encode(
                    texts,
                    prompt=prompt,
                    batch_size=self.batch_size,
                    convert_to_numpy=True,
                    normalize_embeddings=True,
                    show_progress_bar=False,
                )
        except _LIBRARY_ERRORS as exc:
            raise ModelError(
                f"Lỗi khi tính embedding bằng {self.model_id} / embedding failed: {exc}"
            ) from exc
        return np.ascontiguousarray(vectors, dtype=np.float32)


def _plain_backend(tokenizer: Any) -> Any:
    """A copy of a fast tokenizer's backend with truncation and padding off (the library may
    switch them on in the shared one while encoding); None for tokenizers without a backend."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return None
    from tokenizers import Tokenizer

    plain = Tokenizer.from_str(backend.to_str())
    plain.no_truncation()
    plain.no_padding()
    return plain
