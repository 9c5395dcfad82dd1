"""Two troly instances in the scale-out setup (a Qdrant server and one PostgreSQL database):
a new version of a document indexed by instance A is what instance B retrieves, without a
restart — the manifest lives in the database, so B's gate follows A's switch.

Both stacks are built by the composition root from settings with TROLY_QDRANT_URL and a
PostgreSQL TROLY_DATABASE_URL; the Qdrant server is stood in for by one qdrant-client store in
local mode, shared by the two stacks (a local-mode path cannot be opened twice)."""

from __future__ import annotations

import pytest
from fakes.embedder import FakeEmbedder

import assistant.app.index as factory
from assistant.app.answering import build_retriever, build_stats
from assistant.core.settings import Settings
from indexing.manifest_sql import SqlManifest
from indexing.store.client import QdrantClientStore


@pytest.fixture
def two_instances(postgres_server, tmp_path, monkeypatch):
    url = postgres_server.new_database()
    shared = QdrantClientStore({"path": str(tmp_path / "qdrant-server")}, collection="troly")
    monkeypatch.setattr(factory, "open_store", lambda _settings: shared)
    stacks = []
    for name in ("a", "b"):
        settings = Settings(_env_file=None, data_dir=tmp_path / name, database_url=url,
                            qdrant_url="http://qdrant.test:6333")
        stacks.append((settings, factory.build_index(settings, embedder=FakeEmbedder())))
    yield stacks
    for _settings, components in stacks:
        components.manifest.close()
        components.indexer.close()
    shared.close()


def _texts(settings, components, question: str) -> list[str]:
    retriever = build_retriever(components, build_stats(components), mode="hybrid")
    return [hit.chunk.text for hit in retriever.retrieve(question, 5)]


def test_instance_b_retrieves_the_version_instance_a_switched_in(two_instances, tmp_path):
    (settings_a, a), (settings_b, b) = two_instances
    assert isinstance(a.manifest, SqlManifest) and isinstance(b.manifest, SqlManifest)
    assert not (settings_a.manifest_path.exists() or settings_b.manifest_path.exists())
    source = tmp_path / "quy-dinh-tiem-chung.md"
    source.write_text("Điều 1. Lệ phí tiêm chủng là 50.000 đồng.", encoding="utf-8")
    a.indexer.index_paths([source])
    [first] = b.indexer.list_documents()
    assert any("50.000" in text for text in _texts(settings_b, b, "lệ phí tiêm chủng"))

    source.write_text("Điều 1. Lệ phí tiêm chủng là 80.000 đồng.", encoding="utf-8")
    summary = a.indexer.index_paths([source])
    assert summary.updated == 1
    [second] = b.indexer.list_documents()  # B was not restarted
    assert second.version == first.version + 1 and second.doc_hash != first.doc_hash
    assert b.gate.active() == {second.doc_id: second.doc_hash}
    texts = _texts(settings_b, b, "lệ phí tiêm chủng")
    assert any("80.000" in text for text in texts)
    assert not any("50.000" in text for text in texts)  # the old version is never shown

    a.indexer.delete_document(second.doc_id)
    assert b.gate.active() == {} and _texts(settings_b, b, "lệ phí tiêm chủng") == []


def test_two_troly_apps_answer_from_the_version_one_of_them_switched_in(
        postgres_server, tmp_path, monkeypatch):
    """Whole apps (`open_troly`), as two `troly serve` processes behind a load balancer."""
    from assistant.app.troly import open_troly

    url = postgres_server.new_database()
    shared = QdrantClientStore({"path": str(tmp_path / "qdrant-server")}, collection="troly")
    monkeypatch.setattr(factory, "open_store", lambda _settings: shared)
    settings = [Settings(_env_file=None, data_dir=tmp_path / name, database_url=url,
                         qdrant_url="http://qdrant.test:6333") for name in ("a", "b")]
    source = tmp_path / "le-phi.md"
    first_text = "Điều 1. Lệ phí cấp giấy phép hành nghề khám bệnh, chữa bệnh là 50.000 đồng."
    source.write_text(first_text, encoding="utf-8")
    with open_troly(settings[0], embedder=FakeEmbedder(), dossier=False) as a, \
            open_troly(settings[1], embedder=FakeEmbedder(), dossier=False) as b:
        question = "Lệ phí cấp giấy phép hành nghề khám bệnh, chữa bệnh là bao nhiêu?"
        a.admin.index_paths([source])
        first = b.chat.ask(question)
        assert "50.000" in first.answer
        # (amounts the fake embedder answers confidently: its vectors hash the words)
        source.write_text(first_text.replace("50.000", "45.000"), encoding="utf-8")
        a.admin.index_paths([source])  # a new version, switched in by A
        second = b.chat.ask(question)  # B was not restarted
        assert "45.000" in second.answer and "50.000" not in second.answer
        assert ["45.000" in hit.chunk.text for hit in b.chat.search(question)] == [True]
    shared.close()
