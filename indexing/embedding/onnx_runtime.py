"""A loaded ONNX Runtime session of a prepared sentence-transformers encoder. It computes what
the sentence-transformers pipeline computes: `prompt + text` with special tokens, truncated at
`max_tokens`, mean pooling over the real (unpadded) tokens, L2 normalisation."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import ModelError
from assistant.core.settings import E5_PASSAGE_PROMPT, E5_QUERY_PROMPT

log = logging.getLogger(__name__)

OUTPUT_NAME = "last_hidden_state"
_ORT_ERRORS = (OSError, ValueError, RuntimeError, ImportError, KeyError, TypeError)


class OrtEncoder:
    """Created only when the model is to be used: the constructor loads the tokenizer and the
    session. `threads` is ONNX Runtime's intra-op thread count (0 = all cores). `run` is safe
    to call from several threads at once (the tokenizers are configured once, never toggled)."""

    def __init__(
        self,
        onnx_path: Path,
        model_dir: Path,
        *,
        query_prompt: str = E5_QUERY_PROMPT,
        passage_prompt: str = E5_PASSAGE_PROMPT,
        batch_size: int = 32,
        threads: int = 0,
    ) -> None:
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.stats = {"tokens": 0, "padded_tokens": 0}  # real and padded tokens through the model
        try:
            config = _read_json(model_dir / "config.json")
            self.dim = int(config["hidden_size"])
            self.max_tokens = _max_tokens(model_dir, config)
            tokenizer_file = model_dir / "tokenizer.json"
            self._truncating, self._counter = _tokenizers(tokenizer_file, self.max_tokens)
            self._pad_id = int(config.get("pad_token_id") or 0)
            self._session = _session(onnx_path, threads)
        except _ORT_ERRORS as exc:
            raise ModelError(
                f"Không mở được mô hình ONNX {onnx_path} / cannot open the ONNX model: {exc}"
            ) from exc
        log.info("opened %s with onnxruntime (%s intra-op threads)", onnx_path, threads or "all")

    # --- the Embedder methods, on a loaded model ------------------------------------------
    def count_tokens(self, text: str) -> int:
        return len(self._counter.encode(self.passage_prompt + text).ids)

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        prompted = [self.passage_prompt + text for text in texts]
        return [len(e.ids) for e in self._counter.encode_batch(prompted)] if texts else []

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.encode(texts, self.passage_prompt)

    def embed_query(self, text: str) -> np.ndarray:
        return self.encode([text], self.query_prompt)[0]

    def encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        """Unit vectors (n, dim) of `prompt + text`; texts are sorted by length and batched so
        that a batch pads as little as possible, then put back in the caller's order."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._truncating.encode_batch([prompt + text for text in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            out[rows] = self._run([encodings[i].ids for i in rows])
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        longest = max(len(ids) for ids in batch)
        self.stats["tokens"] += sum(len(ids) for ids in batch)
        self.stats["padded_tokens"] += longest * len(batch)
        input_ids = np.full((len(batch), longest), self._pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), longest), dtype=np.int64)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = ids
            mask[row, : len(ids)] = 1
        try:
            feeds = {"input_ids": input_ids, "attention_mask": mask}
            hidden = self._session.run([OUTPUT_NAME], feeds)[0]
        except _ORT_ERRORS as exc:
            raise ModelError(
                f"Lỗi khi tính embedding bằng ONNX Runtime / ONNX embedding failed: {exc}"
            ) from exc
        return mean_pool_normalise(hidden, mask)


def mean_pool_normalise(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """sentence-transformers' Pooling(mean) + Normalize: padding positions are left out of the
    mean (averaging them in drops the mean cosine to torch to ~0.987 on the verification
    sample)."""
    weights = mask.astype(np.float32)[:, :, None]
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


def _read_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _max_tokens(model_dir: Path, config: dict[str, Any]) -> int:
    """As sentence-transformers decides: the tokenizer's model_max_length, capped at the
    model's position embeddings."""
    tokenizer_config = _read_json(model_dir / "tokenizer_config.json")
    limit = int(config["max_position_embeddings"])
    return min(int(tokenizer_config.get("model_max_length") or limit), limit)


def _tokenizers(path: Path, max_tokens: int) -> tuple[Any, Any]:
    """(truncating at max_tokens, never truncating) copies of the model's fast tokenizer; the
    second counts tokens like SentenceTransformerEmbedder.count_tokens does."""
    from tokenizers import Tokenizer

    truncating = Tokenizer.from_file(str(path))
    truncating.no_padding()
    truncating.enable_truncation(max_length=max_tokens)
    counter = Tokenizer.from_str(truncating.to_str())
    counter.no_truncation()
    return truncating, counter


def _session(onnx_path: Path, threads: int) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(0, threads)
    options.inter_op_num_threads = 1  # the graph is a single chain: nothing to run side by side
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
