"""HybridRetriever over the in-memory store: modes, filters, version gate, exact references."""

from __future__ import annotations

import pytest
from fakes.retrieval import FakeGate

from assistant.catalog import UnitCatalog, make_entry
from assistant.core.domain import SearchFilter
from assistant.reference_boost import ReferenceBooster
from assistant.retrieval import HybridRetriever, RetrievalConfig

PUBLIC = SearchFilter(audiences=("public",))


def _units(hits):
    return [h.chunk.unit_id for h in hits]


def test_retrieval_hybrid_finds_the_matching_article(retriever):
    hits = retriever.retrieve("mất thẻ bảo hiểm y tế thì bao lâu được cấp lại", 3, PUBLIC)
    assert _units(hits)[0] == "2.2.LQ.18"
    assert {"dense", "sparse"} <= set(hits[0].scores)


@pytest.mark.parametrize("mode,calls", [("bm25", (0, 1)), ("dense", (1, 0)), ("hybrid", (1, 1))])
def test_retrieval_modes_use_only_their_retrievers(store_and_parts, mode, calls):
    embedder, sparse, store = store_and_parts
    retriever = HybridRetriever(embedder, sparse, store, config=RetrievalConfig(mode=mode))
    retriever.retrieve("thẻ bảo hiểm y tế", 3)
    assert (store.dense_calls, store.sparse_calls) == calls


def test_retrieval_unknown_mode_rejected():
    with pytest.raises(ValueError):
        RetrievalConfig(mode="magic")


def test_retrieval_citizen_filter_never_returns_staff_documents(retriever):
    hits = retriever.retrieve("quy trình nội bộ cấp lại thẻ bảo hiểm y tế cán bộ", 10, PUBLIC)
    assert "SYT.NB.1" not in _units(hits)
    staff_hits = retriever.retrieve("quy trình nội bộ cấp lại thẻ bảo hiểm y tế cán bộ", 10, None)
    assert "SYT.NB.1" in _units(staff_hits)


def test_retrieval_excludes_expired_documents_by_default(retriever):
    hits = retriever.retrieve("thẻ bảo hiểm y tế bị mất cấp lại", 10, PUBLIC)
    assert "2.2.LQ.99" not in _units(hits)


def test_retrieval_includes_expired_documents_when_asked_about_old_rules(retriever):
    hits = retriever.retrieve("quy định cũ đã hết hiệu lực về thẻ bảo hiểm y tế bị mất", 10, PUBLIC)
    assert "2.2.LQ.99" in _units(hits)


def test_retrieval_explicit_validity_filter_is_respected(retriever):
    only_expired = SearchFilter(validities=("expired",))
    assert _units(retriever.retrieve("thẻ bảo hiểm y tế", 10, only_expired)) == ["2.2.LQ.99"]


def test_retrieval_drops_hits_the_version_gate_says_are_not_live(store_and_parts):
    embedder, sparse, store = store_and_parts
    live = {c.doc_id: c.doc_hash for c in store.chunks.values() if c.unit_id != "2.2.LQ.18"}
    live["doc-2"] = "another-version"  # 2.2.* chunks belong to doc "doc-2"
    retriever = HybridRetriever(embedder, sparse, store, gate=FakeGate(live))
    units = _units(retriever.retrieve("thẻ bảo hiểm y tế bị mất", 10))
    assert units and not any(u.startswith("2.2.") for u in units)


def test_retrieval_named_unit_ranks_first_even_if_text_does_not_match(retriever):
    hits = retriever.retrieve("45.4.LQ.24 nói gì về thẻ bảo hiểm y tế bị mất", 3, PUBLIC)
    assert _units(hits)[0] == "45.4.LQ.24"
    assert hits[0].scores["boost"] == 2.0


def test_retrieval_tthc_code_ranks_its_procedure_first(retriever):
    hits = retriever.retrieve("thủ tục 1.013614 bao lâu", 3, PUBLIC)
    assert _units(hits)[0] == "1.013614"


def test_retrieval_article_reference_uses_chunk_metadata(retriever):
    hits = retriever.retrieve("Điều 24 Luật Dược quy định gì về thẻ bảo hiểm y tế", 3, PUBLIC)
    assert _units(hits)[0] == "45.4.LQ.24"


def test_retrieval_article_reference_found_through_catalog_when_not_retrieved(store_and_parts):
    embedder, sparse, store = store_and_parts
    catalog = UnitCatalog([make_entry("2.2.LQ.23", document_number="25/2008/QH12", document_type="Luật",
                                      title="Bảo hiểm y tế", original_article="Điều 23")])
    retriever = HybridRetriever(
        embedder, sparse, store, booster=ReferenceBooster(catalog), config=RetrievalConfig(candidates=1)
    )
    hits = retriever.retrieve("Điều 23 Luật Bảo hiểm y tế chứng chỉ hành nghề dược", 3, PUBLIC)
    assert _units(hits)[0] == "2.2.LQ.23"


def test_retrieval_document_number_boosts_units_of_that_document(retriever):
    hits = retriever.retrieve("Luật 105/2016/QH13 quy định thẻ bảo hiểm y tế bị mất", 4, PUBLIC)
    assert set(_units(hits)[:2]) == {"45.4.LQ.13", "45.4.LQ.24"}


def test_retrieval_hybrid_mode_ignores_references(store_and_parts):
    embedder, sparse, store = store_and_parts
    retriever = HybridRetriever(embedder, sparse, store, booster=ReferenceBooster(),
                                config=RetrievalConfig(mode="hybrid"))
    hits = retriever.retrieve("45.4.LQ.24 nói gì về thẻ bảo hiểm y tế bị mất", 3)
    assert "boost" not in hits[0].scores


def test_retrieval_caps_chunks_per_unit(store_and_parts):
    from fakes.retrieval import index_chunks, make_chunk

    embedder, sparse, store = store_and_parts
    extra = [make_chunk("2.2.LQ.18", f"thẻ bảo hiểm y tế bị mất phần {i}", chunk_id=f"x{i}") for i in range(3)]
    index_chunks(store, embedder, sparse, extra)
    retriever = HybridRetriever(embedder, sparse, store, config=RetrievalConfig(max_chunks_per_unit=1))
    units = _units(retriever.retrieve("thẻ bảo hiểm y tế bị mất", 10))
    assert units.count("2.2.LQ.18") == 1


def test_retrieval_drops_heading_only_chunks(store_and_parts):
    from fakes.retrieval import index_chunks, make_chunk

    embedder, sparse, store = store_and_parts
    index_chunks(store, embedder, sparse, [make_chunk("45.8.LQ.42", "Điều 45.8.LQ.42.", embed_text="thẻ bảo hiểm y tế bị mất")])
    retriever = HybridRetriever(embedder, sparse, store)
    assert "45.8.LQ.42" not in _units(retriever.retrieve("thẻ bảo hiểm y tế bị mất", 10))
