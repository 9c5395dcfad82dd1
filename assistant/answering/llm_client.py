"""The OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp server, a commercial API),
reached through llama-index's `OpenAILike`. llama-index types stay in this module: callers send
(role, content) pairs and get text back. Every library failure becomes an `LlmError`."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

from assistant.core.errors import TrolyError

log = logging.getLogger(__name__)

Message = tuple[str, str]  # (role, content): "system" | "user" | "assistant"


class LlmError(TrolyError):
    """The language model failed, timed out or answered badly (callers fall back)."""


class LlmTimeout(LlmError):
    """No first token in time, or the whole answer took longer than the timeout."""


def _translated(exc: Exception, what: str) -> LlmError:
    # openai/httpx raise many types; a timeout among them is named so ("APITimeoutError",
    # "ReadTimeout", "ConnectTimeout")
    kind = LlmTimeout if "timeout" in type(exc).__name__.lower() else LlmError
    return kind(f"Mô hình ngôn ngữ lỗi / {what}: {exc!r}")


class OpenAILikeClient:
    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        timeout_s: float = 20.0,
        first_token_timeout_s: float | None = None,
        max_tokens: int = 700,
        temperature: float = 0.1,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.api_key = api_key or "not-needed"
        self.timeout_s = timeout_s
        # the HTTP read timeout: the longest silence allowed, first token included
        self.first_token_timeout_s = min(first_token_timeout_s or timeout_s, timeout_s)
        self.max_tokens = max_tokens
        self.temperature = temperature
        self._llm: Any = None

    def _client(self) -> Any:
        if self._llm is None:
            from llama_index.llms.openai_like import OpenAILike

            self._llm = OpenAILike(
                model=self.model,
                api_base=self.base_url,
                api_key=self.api_key,
                is_chat_model=True,
                timeout=self.first_token_timeout_s,
                max_retries=0,
                max_tokens=self.max_tokens,
                temperature=self.temperature,
                context_window=8192,
            )
        return self._llm

    @staticmethod
    def _messages(messages: Sequence[Message]) -> list[Any]:
        from llama_index.core.llms import ChatMessage

        return [ChatMessage(role=role, content=content) for role, content in messages]

    def chat(self, messages: Sequence[Message]) -> str:
        try:
            response = self._client().chat(self._messages(messages))
        except Exception as exc:  # openai/httpx raise many types: one project error out
            raise _translated(exc, "LLM call failed") from exc
        return str(response.message.content or "")

    def stream_chat(self, messages: Sequence[Message]) -> Iterator[str]:
        """Yields text deltas; raises LlmError on failure or when the whole answer takes longer
        than the timeout (a slow trickle is a timeout too)."""
        try:
            llm, payload = self._client(), self._messages(messages)  # imports are not the model's time
        except Exception as exc:
            raise LlmError(f"Không khởi tạo được mô hình ngôn ngữ / LLM client setup failed: {exc!r}") from exc
        deadline = time.monotonic() + self.timeout_s
        try:
            for chunk in llm.stream_chat(payload):
                if time.monotonic() > deadline:
                    raise LlmTimeout("Mô hình ngôn ngữ quá thời gian / LLM stream timed out")
                if chunk.delta:
                    yield chunk.delta
        except LlmError:
            raise
        except Exception as exc:
            raise _translated(exc, "LLM stream failed") from exc
