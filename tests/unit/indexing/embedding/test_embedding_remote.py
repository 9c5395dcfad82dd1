"""RemoteEmbedder: passages through an OpenAI-compatible /v1/embeddings endpoint, end to end
against a loopback server that serves the project's own e5 model, plus retries, batching,
errors and the API key kept out of logs."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from fakes.embedder import FakeEmbedder
from support.embedding_server import SECRET, EmbeddingServer

from assistant.core.errors import ConfigError, ModelError
from indexing.embedding.onnx_embedder import OnnxEmbedder
from indexing.embedding.remote import RemoteEmbedder

TEXTS = [
    "Điều 12. Quyền của người bệnh được tôn trọng bí mật riêng tư trong khám bệnh, chữa bệnh.",
    "Cơ sở bán lẻ thuốc phải có dược sĩ phụ trách chuyên môn.",
    "thu tuc cap lai the bao hiem y te bi mat",
    "Hồ sơ đề nghị cấp lại chứng chỉ hành nghề dược gồm đơn đề nghị và bản sao văn bằng.",
    "Phí thẩm định cấp giấy phép hoạt động đối với phòng khám đa khoa là bao nhiêu?",
]


@pytest.fixture
def fake_server() -> Iterator[tuple[EmbeddingServer, FakeEmbedder]]:
    local = FakeEmbedder()
    with EmbeddingServer(lambda inputs: local.embed_passages([t.removeprefix("passage: ") for t in inputs]),
                         fail_first=2) as server:  # fmt: skip
        yield server, local


def test_remote_embedder_retries_batches_and_matches_local(fake_server, caplog) -> None:
    server, local = fake_server
    caplog.set_level(logging.DEBUG)
    remote = RemoteEmbedder(server.url, local, api_key=SECRET, batch_size=2, backoff=0.01)
    vectors = remote.embed_passages(TEXTS)
    assert np.allclose(vectors, local.embed_passages(TEXTS), atol=1e-6)
    assert server.batches == [1, 2, 2, 1]  # the agreement probe, then batches of 2
    assert remote.model_id == local.model_id and remote.dim == local.dim
    assert SECRET not in caplog.text and "503" in caplog.text


def test_remote_embedder_gives_up_after_retries_without_leaking_the_key(fake_server) -> None:
    server, local = fake_server
    server.fail_left = 10
    remote = RemoteEmbedder(server.url, local, api_key=SECRET, retries=2, backoff=0.01)
    with pytest.raises(ModelError, match="3") as info:
        remote.embed_passages(TEXTS[:1])
    assert SECRET not in str(info.value)


def test_remote_embedder_wrong_key_fails_at_once(fake_server) -> None:
    server, local = fake_server
    server.fail_left = 0
    remote = RemoteEmbedder(server.url, local, api_key="wrong", retries=5, backoff=5)
    with pytest.raises(ModelError, match="401"):
        remote.embed_passages(TEXTS[:1])


def test_remote_embedder_refuses_a_server_with_other_weights(fake_server) -> None:
    server, _ = fake_server
    server.fail_left = 0
    other_local = FakeEmbedder()
    other_local.embed_passages = lambda texts: -FakeEmbedder().embed_passages(texts)  # type: ignore[method-assign]
    with pytest.raises(ModelError, match="cosine"):
        RemoteEmbedder(server.url, other_local, api_key=SECRET).embed_passages(TEXTS[:1])


def test_remote_embedder_rejects_bad_settings() -> None:
    with pytest.raises(ConfigError):
        RemoteEmbedder("", FakeEmbedder())
    with pytest.raises(ConfigError):
        RemoteEmbedder("http://127.0.0.1:9", FakeEmbedder(), batch_size=0)


def test_remote_embedder_unreachable_server_is_a_model_error() -> None:
    remote = RemoteEmbedder("http://127.0.0.1:9", FakeEmbedder(), retries=1, backoff=0.01, timeout=1)
    with pytest.raises(ModelError, match="ConnectError"):
        remote.embed_passages(TEXTS[:1])


@pytest.mark.slow
def test_remote_embedder_end_to_end_with_the_real_e5_model(prepared_model_dir: Path) -> None:
    """The server runs the project's e5 through the API; its vectors are the local ones."""
    served = OnnxEmbedder(prepared_model_dir, threads=1)
    local = OnnxEmbedder(prepared_model_dir, threads=1)
    with EmbeddingServer(lambda inputs: served._load().encode(inputs, "")) as server:
        remote = RemoteEmbedder(server.url, local, api_key=SECRET, batch_size=3)
        cosines = np.sum(remote.embed_passages(TEXTS) * local.embed_passages(TEXTS), axis=1)
        assert cosines.min() >= 0.999
        assert remote.embed_query("giấy phép hành nghề").shape == (local.dim,)
        assert server.batches == [1, 3, 2]
    remote.close()


def test_settings_with_embedding_url_wrap_the_local_embedder(tmp_path) -> None:
    from assistant.core.settings import Settings
    from indexing.embedding.factory import with_remote

    local = FakeEmbedder()
    assert with_remote(Settings(data_dir=tmp_path), local) is local
    remote = with_remote(Settings(data_dir=tmp_path, embedding_url="http://gpu:8080",
                                  embedding_api_key=SECRET), local)  # fmt: skip
    assert isinstance(remote, RemoteEmbedder) and remote.endpoint == "http://gpu:8080/v1/embeddings"
    assert SECRET not in repr(Settings(data_dir=tmp_path, embedding_api_key=SECRET))
