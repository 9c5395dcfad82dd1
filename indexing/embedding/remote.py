"""`Embedder` whose passages are embedded by an OpenAI-compatible endpoint (`POST
/v1/embeddings`, as served by text-embeddings-inference, Infinity or vLLM for the same
multilingual-e5 weights), e.g. a province's GPU server, while token counting (for chunking) and
queries stay on the local model. It keeps the local model's `model_id`: an index built remotely
is searched locally, which is only right when the server runs the same weights — checked on
first use by embedding a probe text both ways (cosine ≥ MIN_AGREEMENT, else ModelError).

The API key is sent as a bearer token and never logged or put in an error message.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from assistant.core.errors import ConfigError, ModelError
from assistant.core.interfaces import Embedder
from assistant.core.settings import E5_PASSAGE_PROMPT

log = logging.getLogger(__name__)

MIN_AGREEMENT = 0.999
PROBE = "Điều 1. Phạm vi điều chỉnh: thủ tục cấp giấy phép hành nghề khám bệnh, chữa bệnh."
_RETRY_STATUS = {408, 429, 500, 502, 503, 504}


class RemoteEmbedder:
    def __init__(
        self,
        url: str,
        local: Embedder,
        *,
        model: str = "intfloat/multilingual-e5-small",
        api_key: str = "",
        passage_prompt: str = E5_PASSAGE_PROMPT,
        batch_size: int = 64,
        timeout: float = 60.0,
        retries: int = 3,
        backoff: float = 1.0,
        transport: Any = None,
    ) -> None:
        if not url.strip():
            raise ConfigError("TROLY_EMBEDDING_URL trống / is empty")
        if batch_size < 1 or retries < 0 or timeout <= 0:
            raise ConfigError(
                "embedding_remote_batch_size >= 1, retries >= 0, timeout > 0 / invalid remote "
                f"embedder settings (batch {batch_size}, retries {retries}, timeout {timeout})"
            )
        self.endpoint = url.rstrip("/") + ("" if url.rstrip("/").endswith("/v1/embeddings") else "/v1/embeddings")
        self.local = local
        self.model = model
        self.model_id = local.model_id
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.retries = retries
        self.backoff = backoff
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = timeout
        self._transport = transport
        self._client: Any = None
        self._checked = False

    # --- the local side ----------------------------------------------------------------------
    @property
    def dim(self) -> int:
        return self.local.dim

    @property
    def max_tokens(self) -> int:
        return self.local.max_tokens

    def count_tokens(self, text: str) -> int:
        return self.local.count_tokens(text)

    def count_tokens_batch(self, texts: Sequence[str]) -> list[int]:
        return self.local.count_tokens_batch(texts)

    def embed_query(self, text: str) -> np.ndarray:
        return self.local.embed_query(text)

    def warm_up(self) -> None:
        self._check_agreement()

    # --- the remote side ---------------------------------------------------------------------
    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        self._check_agreement()
        return self._embed_remote(list(texts))

    def _embed_remote(self, texts: list[str]) -> np.ndarray:
        parts = [self._post([self.passage_prompt + t for t in texts[i : i + self.batch_size]])
                 for i in range(0, len(texts), self.batch_size)]  # fmt: skip
        vectors = np.concatenate(parts).astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)

    def _check_agreement(self) -> None:
        if self._checked:
            return
        remote = self._embed_remote([PROBE])[0]
        local = self.local.embed_passages([PROBE])[0]
        if remote.shape != local.shape or float(remote @ local) < MIN_AGREEMENT:
            cosine = float(remote @ local) if remote.shape == local.shape else float("nan")
            raise ModelError(
                f"Máy chủ nhúng {self.endpoint} không cho cùng vectơ với mô hình cục bộ "
                f"{self.model_id} (cosine {cosine:.4f}, kích thước {remote.shape[0]}/{local.shape[0]}) "
                "/ the remote embedder does not serve the local model's vectors"
            )
        self._checked = True
        log.info("remote embedder agrees with the local model", extra={"endpoint": self.endpoint})

    def _http(self) -> Any:
        if self._client is None:
            import httpx

            self._client = httpx.Client(timeout=self._timeout, transport=self._transport)
        return self._client

    def _post(self, inputs: list[str]) -> np.ndarray:
        import httpx

        body = {"model": self.model, "input": inputs, "encoding_format": "float"}
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self._http().post(self.endpoint, json=body, headers=self._headers)
            except httpx.HTTPError as exc:
                problem = f"{type(exc).__name__}"
                log.warning("remote embedder unreachable", extra={"endpoint": self.endpoint,
                            "attempt": attempt + 1, "error": problem})  # fmt: skip
                continue
            if response.status_code in _RETRY_STATUS:
                problem = f"HTTP {response.status_code}"
                log.warning("remote embedder busy", extra={"endpoint": self.endpoint,
                            "attempt": attempt + 1, "status": response.status_code})  # fmt: skip
                continue
            if response.status_code != 200:
                raise ModelError(
                    f"Máy chủ nhúng {self.endpoint} trả lỗi HTTP {response.status_code} / the "
                    f"remote embedder refused the request (HTTP {response.status_code})"
                )
            return _vectors(response, len(inputs), self.endpoint)
        raise ModelError(
            f"Không gọi được máy chủ nhúng {self.endpoint} sau {self.retries + 1} lần ({problem}) "
            f"/ the remote embedder failed after {self.retries + 1} attempts ({problem})"
        )

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _vectors(response: Any, expected: int, endpoint: str) -> np.ndarray:
    try:
        data = sorted(response.json()["data"], key=lambda item: int(item["index"]))
        vectors = np.asarray([item["embedding"] for item in data], dtype=np.float32)
    except (ValueError, KeyError, TypeError) as exc:
        raise ModelError(
            f"Máy chủ nhúng {endpoint} trả dữ liệu không hợp lệ / invalid embeddings response: {exc}"
        ) from exc
    if vectors.ndim != 2 or len(vectors) != expected:
        raise ModelError(
            f"Máy chủ nhúng {endpoint} trả {len(vectors)} vectơ cho {expected} đoạn / the remote "
            "embedder returned the wrong number of vectors"
        )
    return vectors
