"""`open_troly`: troly built from settings as one typed object that works (index a tiny file,
ask about it) and is closed again, the embedded index lock included, also when building fails
midway; a second troly on the same embedded index gets the clear StoreError."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.embedder import FakeEmbedder

import assistant.app.troly as troly_module
from assistant.app.index import IndexParts, open_index
from assistant.app.troly import open_troly
from assistant.core.domain import Answer
from assistant.core.errors import StoreError
from assistant.core.interfaces import Embedder, SparseEncoder, VectorStore
from assistant.core.settings import Settings

TEXT = "Thông tư 9/2025\n\nĐiều 1. Lệ phí\nLệ phí cấp chứng chỉ hành nghề dược là 500.000 đồng.\n"
QUESTION = "Lệ phí cấp chứng chỉ hành nghề dược là bao nhiêu?"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", igate_base_url="", llm_base_url="")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "le-phi.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _index(corpus: Path):
    def index(parts: IndexParts) -> None:
        assert parts.indexer.index_paths([corpus]).added == 1

    return index


def test_open_troly_yields_typed_pieces_that_index_and_answer(settings, corpus):
    with open_troly(settings, embedder=FakeEmbedder(), before_answering=_index(corpus)) as troly:
        assert isinstance(troly.store, VectorStore) and isinstance(troly.embedder, Embedder)
        assert isinstance(troly.sparse, SparseEncoder)
        assert troly.dossier is None and troly.answerers.llm is None and troly.answerers.gate is None
        assert [r.title for r in troly.admin.list_documents()] == [r.title for r in troly.manifest.list()]
        hits = troly.chat.search(QUESTION)
        assert hits and "500.000 đồng" in hits[0].chunk.text
        assert troly.retriever_for("bm25").retrieve(QUESTION, 3)[0].chunk.chunk_id == hits[0].chunk.chunk_id
        answer = troly.chat.ask(QUESTION)
        assert isinstance(answer, Answer) and "total" in answer.timings_ms
    with open_index(settings, embedder=FakeEmbedder()) as index:  # closed: the lock is free
        assert index.store.count() > 0


def test_open_troly_releases_everything_when_building_fails_midway(settings, monkeypatch):
    def broken(*_args, **_kw):
        raise RuntimeError("answerers broken")

    monkeypatch.setattr(troly_module, "build_answerers", broken)
    with pytest.raises(RuntimeError, match="answerers broken"), open_troly(settings, embedder=FakeEmbedder()):
        pass  # pragma: no cover
    monkeypatch.undo()
    with pytest.raises(ValueError, match="seeding broken"):
        with open_troly(settings, embedder=FakeEmbedder(), before_answering=_raise_value_error):
            pass  # pragma: no cover
    with open_troly(settings, embedder=FakeEmbedder()) as troly:  # nothing was left locked
        assert troly.store.count() == 0


def _raise_value_error(_index: IndexParts) -> None:
    raise ValueError("seeding broken")


def test_a_second_troly_on_the_same_embedded_index_gets_the_clear_error(settings):
    with open_troly(settings, embedder=FakeEmbedder()):
        with pytest.raises(StoreError, match="in use by another troly process"):
            with open_troly(settings, embedder=FakeEmbedder()):
                pass  # pragma: no cover
    with open_troly(settings, embedder=FakeEmbedder()):
        pass


def test_open_troly_wires_the_dossier_service_to_a_reference_one_stop_shop(settings, monkeypatch):
    closed: list[str] = []
    monkeypatch.setattr(
        "connectors.igate.IGateConnector.close", lambda self: closed.append(self.base_url)
    )
    with open_troly(settings, embedder=FakeEmbedder(), reference_url="http://127.0.0.1:1") as troly:
        assert troly.dossier is not None and troly.dossier.demo
    assert closed == ["http://127.0.0.1:1"]
    with open_troly(settings, embedder=FakeEmbedder(), dossier=False,
                    reference_url="http://127.0.0.1:1") as troly:
        assert troly.dossier is None


def test_open_troly_brings_date_dependent_statuses_up_to_today(settings: Settings, tmp_path: Path):
    """A document past its own end date whose stored status still says in force (derived before
    the date came) is expired once troly starts."""
    path = tmp_path / "tam-thoi.txt"
    path.write_text("Quyết định 88/2020/QĐ-TEST\n\nĐiều 1. Hỗ trợ\nHỗ trợ tiền ăn 45.000 đồng.\n\n"
                    "Điều 2. Hiệu lực\nQuyết định này có hiệu lực đến hết ngày 31/12/2020.\n",
                    encoding="utf-8")
    with open_index(settings, embedder=FakeEmbedder()) as parts:
        assert parts.indexer.index_paths([path]).added == 1
        (record,) = parts.manifest.list()
        assert record.validity == "expired"
        parts.manifest.update_statuses({record.doc_id: {"validity": "in_force", "status_origin": ""}})
        assert parts.manifest.get(record.doc_id).validity == "in_force"  # stale, as on a start
    with open_troly(settings, embedder=FakeEmbedder(), dossier=False) as troly:
        assert troly.manifest.get(record.doc_id).validity == "expired"
