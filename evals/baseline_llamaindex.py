"""The outside baseline for `troly eval --compare`: llama-index's default pipeline with the same
embedder — VectorStoreIndex, the default node parser (SentenceSplitter 1024/200), a
QdrantVectorStore over an in-memory qdrant-client, HuggingFaceEmbedding on the prepared local
model directory with the e5 prompts. It re-indexes the same units the loaders produce.

llama-index types stay inside this module: callers give it our Documents and get unit ids back.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from assistant.core.domain import Document
from evals.metrics import unique_in_order

log = logging.getLogger(__name__)

COLLECTION = "llamaindex_baseline"


def to_llama_documents(documents: Iterable[Document]) -> list[Any]:
    """One llama-index Document per loaded unit (section); metadata is kept out of the embedding
    text and the unit id travels in the node metadata."""
    from llama_index.core import Document as LlamaDocument

    result = []
    for document in documents:
        for index, section in enumerate(document.sections):
            text = "\n".join(part for part in (section.heading, section.text) if part)
            if not text.strip():
                continue
            metadata = {
                "unit_id": section.unit_id or f"{document.doc_id}#{index}",
                "doc_id": document.doc_id,
                "audience": document.audience,
                "title": document.title,
            }
            result.append(
                LlamaDocument(
                    text=text,
                    metadata=metadata,
                    excluded_embed_metadata_keys=list(metadata),
                    excluded_llm_metadata_keys=list(metadata),
                )
            )
    return result


class LlamaIndexBaseline:
    """Implements `evals.runner.RetrievalSystem` (call `build()` first; it takes minutes)."""

    def __init__(
        self,
        model_path: Path | str,
        *,
        query_prompt: str = "query: ",
        passage_prompt: str = "passage: ",
        batch_size: int = 32,
        device: str = "cpu",
    ) -> None:
        self.model_path = str(model_path)
        self.query_prompt = query_prompt
        self.passage_prompt = passage_prompt
        self.batch_size = batch_size
        self.device = device
        self.build_seconds: float | None = None
        self.nodes = 0
        self._index: Any = None
        self._client: Any = None

    def _embed_model(self) -> Any:
        from llama_index.embeddings.huggingface import HuggingFaceEmbedding

        return HuggingFaceEmbedding(
            model_name=self.model_path,
            query_instruction=self.query_prompt,
            text_instruction=self.passage_prompt,
            embed_batch_size=self.batch_size,
            device=self.device,
        )

    def build(self, documents: Sequence[Document], *, progress: bool = False) -> float:
        """Split, embed and store the documents; returns the wall time in seconds."""
        from llama_index.core import StorageContext, VectorStoreIndex
        from llama_index.vector_stores.qdrant import QdrantVectorStore
        from qdrant_client import QdrantClient

        started = time.perf_counter()
        llama_docs = to_llama_documents(documents)
        self._client = QdrantClient(":memory:")
        store = QdrantVectorStore(collection_name=COLLECTION, client=self._client)
        with warnings.catch_warnings():  # local qdrant: payload indexes are a no-op
            warnings.filterwarnings("ignore", message="Payload indexes have no effect")
            self._index = VectorStoreIndex.from_documents(
                llama_docs,
                storage_context=StorageContext.from_defaults(vector_store=store),
                embed_model=self._embed_model(),
                show_progress=progress,
            )
        self.nodes = self._client.count(COLLECTION).count
        self.build_seconds = time.perf_counter() - started
        log.info("llama-index baseline built", extra={"units": len(llama_docs), "seconds": self.build_seconds})
        return self.build_seconds

    def retrieve(self, question: str, k: int, audience: str) -> list[str]:
        from llama_index.core.vector_stores import MetadataFilter, MetadataFilters

        if self._index is None:
            raise RuntimeError("LlamaIndexBaseline.build() must run before retrieve()")
        filters = None
        if audience != "staff":
            filters = MetadataFilters(filters=[MetadataFilter(key="audience", value="public")])
        retriever = self._index.as_retriever(similarity_top_k=max(2 * k, k + 5), filters=filters)
        nodes = retriever.retrieve(question)
        return unique_in_order(n.node.metadata.get("unit_id", "") for n in nodes)[:k]
