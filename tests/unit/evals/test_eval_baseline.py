from llama_index.core.embeddings import BaseEmbedding

from assistant.core.domain import Document, Section
from evals.baseline_llamaindex import LlamaIndexBaseline, to_llama_documents
from fakes.embedder import FakeEmbedder


class _HashEmbedding(BaseEmbedding):
    """llama-index embedding backed by the project's deterministic fake embedder."""

    def _get_query_embedding(self, query):
        return FakeEmbedder().embed_query(query).tolist()

    def _get_text_embedding(self, text):
        return FakeEmbedder().embed_query(text).tolist()

    async def _aget_query_embedding(self, query):
        return self._get_query_embedding(query)


class _OfflineBaseline(LlamaIndexBaseline):
    def _embed_model(self):
        return _HashEmbedding(model_name="hash")


def _documents():
    law = Document("d1", "law.json", "alqac", "Luật Dược", [
        Section("Chứng chỉ hành nghề dược được cấp cho người có bằng dược sĩ.", unit_id="Luật Dược#13",
                heading="Điều 13"),
        Section("Nhà thuốc phải có người phụ trách chuyên môn về dược.", unit_id="Luật Dược#14"),
    ])
    internal = Document("d2", "noi-bo.txt", "text", "Quy chế nội bộ", [
        Section("Cán bộ trực đêm ghi sổ giao ban bệnh viện.", unit_id="QC#1"),
    ], audience="staff")
    return [law, internal]


def test_to_llama_documents_keeps_unit_ids_out_of_embedding_text():
    docs = to_llama_documents(_documents())
    assert [d.metadata["unit_id"] for d in docs] == ["Luật Dược#13", "Luật Dược#14", "QC#1"]
    embed_text = docs[0].get_content(metadata_mode="embed")
    assert "Luật Dược#13" not in embed_text and embed_text.startswith("Điều 13\n")


def test_baseline_retrieve_maps_nodes_to_units_and_filters_audience():
    baseline = _OfflineBaseline("unused")
    baseline.build(_documents())
    assert baseline.nodes == 3 and baseline.build_seconds is not None
    staff = baseline.retrieve("cán bộ trực đêm ghi sổ giao ban", 2, "staff")
    citizen = baseline.retrieve("cán bộ trực đêm ghi sổ giao ban", 5, "citizen")
    assert staff[0] == "QC#1"
    assert "QC#1" not in citizen and set(citizen) == {"Luật Dược#13", "Luật Dược#14"}
