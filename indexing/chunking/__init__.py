"""Chunkers: Document → Chunks that fit the embedder's window (see docs/ARCHITECTURE.md).

`chunk_document` picks the chunker from the document's format: "tthc" records are chunked by
procedure section, everything else (Pháp điển, ALQAC, PDF, DOCX, HTML, text) by legal structure.
"""

from __future__ import annotations

from assistant.core.domain import Chunk, Document
from assistant.core.interfaces import TokenCounter
from indexing.chunking.legal import LegalChunker
from indexing.chunking.tthc import TthcChunker

# Folded into every doc_hash by the pipeline: bump it whenever chunk boundaries, embed texts or
# chunk fields change, so the next `troly index` re-chunks every document.
CHUNKER_VERSION = "legal-2+tthc-1"  # legal-2: guideline outlines, attachments, tables by row

__all__ = ["CHUNKER_VERSION", "LegalChunker", "TthcChunker", "chunk_document"]


def chunk_document(document: Document, doc_hash: str, counter: TokenCounter) -> list[Chunk]:
    """Chunks of one document version; none exceeds `counter.max_tokens`."""
    if document.format == "tthc":
        return TthcChunker(counter).chunk(document, doc_hash)
    return LegalChunker(counter).chunk(document, doc_hash)
