"""Chooses the vector store from settings, in one place."""

from __future__ import annotations

from assistant.core.errors import ConfigError
from assistant.core.interfaces import VectorStore
from assistant.core.settings import Settings


def open_store(settings: Settings) -> VectorStore:
    """A Qdrant server when `qdrant_url` is set; otherwise the embedded store in the index dir
    (`edge` by default, or qdrant-client's local mode with `embedded_store=local`)."""
    if settings.index_on_server:
        from indexing.store.client import QdrantClientStore

        api_key = settings.qdrant_api_key.get_secret_value() or None
        return QdrantClientStore(
            {"url": settings.qdrant_url, "api_key": api_key}, collection=settings.collection
        )
    if settings.embedded_store == "edge":
        from indexing.store.edge import QdrantEdgeStore

        return QdrantEdgeStore(settings.index_dir / "edge")
    if settings.embedded_store == "local":
        from indexing.store.client import QdrantClientStore

        return QdrantClientStore(
            {"path": str(settings.index_dir / "local")}, collection=settings.collection
        )
    raise ConfigError(
        f"TROLY_EMBEDDED_STORE={settings.embedded_store!r} không hợp lệ, hãy dùng 'edge' hoặc "
        f"'local' / TROLY_EMBEDDED_STORE must be 'edge' or 'local'"
    )
