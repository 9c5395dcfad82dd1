"""Files indexed end to end for format tests: the real loaders, chunkers, Indexer, manifest,
BM25 encoder, Qdrant (in memory), retriever and extractive answerer; only the dense embedder is
the fake one (the real model is for `slow` tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fakes.embedder import FakeEmbedder

from assistant.answering.evidence import EvidenceModel
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.core.domain import IndexSummary
from assistant.retrieval import HybridRetriever, RetrievalConfig
from assistant.service import RagChatService
from indexing.cache import TextCache
from indexing.manifest import Manifest, ManifestGate
from indexing.pipeline import Indexer
from indexing.sparse import Bm25SparseEncoder
from indexing.store.client import QdrantClientStore


@dataclass
class IndexedFiles:
    indexer: Indexer
    store: QdrantClientStore
    service: RagChatService
    summary: IndexSummary


def index_files(paths: Sequence[Path], data_dir: Path, max_tokens: int = 512) -> IndexedFiles:
    embedder, sparse = FakeEmbedder(max_tokens=max_tokens), Bm25SparseEncoder()
    store = QdrantClientStore({"location": ":memory:"}, collection="formats")
    manifest = Manifest(data_dir / "manifest.sqlite")
    indexer = Indexer(
        embedder=embedder, sparse=sparse, store=store, manifest=manifest,
        cache=TextCache(data_dir / "cache.sqlite", "dense:test"),
    )  # fmt: skip
    summary = indexer.index_paths(list(paths))
    retriever = HybridRetriever(
        embedder, sparse, store, gate=ManifestGate(manifest), config=RetrievalConfig(mode="full")
    )
    answerer = ExtractiveAnswerer("Sở Y tế", 0.3, evidence=EvidenceModel(w_dense=0.0, c0=0.3))
    return IndexedFiles(indexer, store, RagChatService(retriever, answerer), summary)
