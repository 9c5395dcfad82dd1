"""The E5 prompt convention is written once (assistant.core.settings): the settings' defaults
and every embedder's defaults are those constants."""

import inspect

import pytest

from assistant.core.settings import E5_PASSAGE_PROMPT, E5_QUERY_PROMPT, Settings
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.onnx_runtime import OrtEncoder
from indexing.embedding.remote import RemoteEmbedder
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder


def test_embedding_prompts_settings_default_to_e5() -> None:
    fields = Settings.model_fields
    assert fields["embedding_query_prompt"].default == E5_QUERY_PROMPT == "query: "
    assert fields["embedding_passage_prompt"].default == E5_PASSAGE_PROMPT == "passage: "


@pytest.mark.parametrize("cls", [SentenceTransformerEmbedder, OnnxEmbedder, OrtEncoder, RemoteEmbedder])
def test_embedding_prompts_every_embedder_defaults_to_e5(cls: type) -> None:
    params = inspect.signature(cls.__init__).parameters
    assert params["passage_prompt"].default == E5_PASSAGE_PROMPT
    if "query_prompt" in params:
        assert params["query_prompt"].default == E5_QUERY_PROMPT
