"""A whole `troly index` run with TROLY_EMBEDDING_URL: passages are embedded by an
OpenAI-compatible server (on loopback, serving the project's own e5), the index is then searched
by a troly with no URL (queries embedded locally) and answers exactly as an index built locally."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.embedding_server import SECRET, EmbeddingServer

from assistant.core.settings import PROJECT_ROOT, Settings

DEMO = PROJECT_ROOT / "corpus" / "demo"
QUESTIONS = (
    "Hồ sơ cấp chứng chỉ hành nghề khám bệnh, chữa bệnh gồm những gì?",
    "muc huong bao hiem y te khi kham dung tuyen",
    "Lệ phí cấp giấy phép hoạt động là bao nhiêu?",
)


def _data_dir(root: Path, prepared_model_dir: Path) -> Path:
    root.mkdir()
    (root / "models").symlink_to(prepared_model_dir.parent, target_is_directory=True)
    return root


def _answers(data_dir: Path) -> list[tuple[bool, list[str]]]:
    from assistant.app.troly import open_troly

    with open_troly(Settings(_env_file=None, data_dir=data_dir)) as troly:
        return [(a.refused, [c.unit_id for c in a.citations])
                for a in map(troly.chat.ask, QUESTIONS)]


@pytest.mark.slow
def test_index_built_through_the_remote_embedder_answers_like_a_local_one(
        prepared_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.cli import main
    from indexing.embedding.onnx_embedder import OnnxEmbedder

    served = OnnxEmbedder(prepared_model_dir, threads=1)
    remote_dir = _data_dir(tmp_path / "remote", prepared_model_dir)
    local_dir = _data_dir(tmp_path / "local", prepared_model_dir)
    monkeypatch.delenv("TROLY_EMBEDDING_URL", raising=False)
    with EmbeddingServer(lambda inputs: served._load().encode(inputs, "")) as server:
        monkeypatch.setenv("TROLY_EMBEDDING_URL", server.url)
        monkeypatch.setenv("TROLY_EMBEDDING_API_KEY", SECRET)
        assert main(["--data-dir", str(remote_dir), "index", str(DEMO)]) == 0
        served_passages = sum(server.batches)
    monkeypatch.delenv("TROLY_EMBEDDING_URL")
    monkeypatch.delenv("TROLY_EMBEDDING_API_KEY")
    assert main(["--data-dir", str(local_dir), "index", str(DEMO)]) == 0

    remote_answers, local_answers = _answers(remote_dir), _answers(local_dir)
    assert served_passages >= 50  # every demo chunk went through the server (58 chunks)
    assert any(not refused and citations for refused, citations in remote_answers)
    assert remote_answers == local_answers
