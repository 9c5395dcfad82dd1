"""The service objects one troly app serves (API, Gradio UI and widget alike)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from assistant.core.domain import Answer
from assistant.core.interfaces import ChatService, DocumentAdmin, DossierLookup
from assistant.core.settings import Settings
from ui.storage import SqlStorage

log = logging.getLogger(__name__)


@runtime_checkable
class StreamingChat(Protocol):
    """A ChatService that can also stream: text pieces, then the final Answer."""

    def ask_stream(
        self, message: str, *, audience: str = "citizen", conversation_id: str | None = None,
        client_id: str = "local",
    ) -> Iterator[str | Answer]: ...


@dataclass
class Services:
    settings: Settings
    chat: ChatService
    admin: DocumentAdmin
    dossier: DossierLookup
    storage: SqlStorage
    index_size: Callable[[], int] = lambda: 0
    # Extra facts shown by `troly serve` and the UI (demo dossier codes, generated keys...).
    notes: dict[str, str] = field(default_factory=dict)
    # The in-process reference one-stop-shop (connectors.reference.ReferenceServer), if any.
    reference: Any = None
    # The LLM's gate (assistant.answering.llm_gate.LlmGate) when an LLM is configured: its
    # snapshot shows in /readyz and /metrics (issue 12: a degraded LLM must be visible).
    llm_gate: Any = None
    closers: list[Callable[[], None]] = field(default_factory=list)
    # The dense embedder's `embed_query` matches questions to curated answers (console).
    query_embedder: Any = None

    def close(self) -> None:
        """Release everything in reverse order of creation; one failure does not stop the rest."""
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:  # noqa: BLE001
                log.warning("error while closing a service", exc_info=True)
        self.closers.clear()
