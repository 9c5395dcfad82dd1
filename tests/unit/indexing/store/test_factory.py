"""open_store picks the backend from settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.errors import ConfigError
from assistant.core.settings import Settings
from indexing.store.client import QdrantClientStore
from indexing.store.edge import QdrantEdgeStore
from indexing.store.factory import open_store


def test_open_store_defaults_to_edge_in_index_dir(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    assert isinstance(store, QdrantEdgeStore)
    assert store.path == tmp_path / "index" / "edge"


def test_open_store_local_uses_client_path(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path, embedded_store="local", collection="c"))
    assert isinstance(store, QdrantClientStore)
    assert store.client_kwargs == {"path": str(tmp_path / "index" / "local")}
    assert store.collection == "c" and not store.remote


def test_open_store_url_wins_and_passes_api_key(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path, qdrant_url="https://qdrant.example:6333", qdrant_api_key="k"
    )
    store = open_store(settings)
    assert isinstance(store, QdrantClientStore) and store.remote
    assert store.client_kwargs == {"url": "https://qdrant.example:6333", "api_key": "k"}


def test_open_store_rejects_unknown_embedded_store(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TROLY_EMBEDDED_STORE"):
        open_store(Settings(data_dir=tmp_path, embedded_store="faiss"))
