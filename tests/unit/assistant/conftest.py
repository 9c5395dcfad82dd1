"""Fixtures for the assistant tests: the small corpus of support/assistant_corpus.py in an in-memory store."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/: fakes, support modules

from fakes.embedder import FakeEmbedder  # noqa: E402
from fakes.retrieval import FakeSparseEncoder, FakeStore, index_chunks  # noqa: E402

from assistant.abbreviations import AbbreviationDictionary  # noqa: E402
from assistant.query import QueryAnalyzer  # noqa: E402
from assistant.reference_boost import ReferenceBooster  # noqa: E402
from assistant.retrieval import HybridRetriever, RetrievalConfig  # noqa: E402

from support.assistant_corpus import corpus  # noqa: E402


@pytest.fixture
def store_and_parts():
    embedder, sparse, store = FakeEmbedder(), FakeSparseEncoder(), FakeStore()
    index_chunks(store, embedder, sparse, corpus())
    return embedder, sparse, store


@pytest.fixture
def retriever(store_and_parts):
    embedder, sparse, store = store_and_parts
    abbreviations = AbbreviationDictionary.from_lines(["BHYT\tbảo hiểm y tế", "CCHN\tchứng chỉ hành nghề"])
    return HybridRetriever(
        embedder, sparse, store, analyzer=QueryAnalyzer(abbreviations), booster=ReferenceBooster(),
        config=RetrievalConfig(mode="full"),
    )
