"""The legal-structure chunker: one chunk per Điều when it fits the embedder's window; longer
articles split at Khoản, then Điểm, then sentence groups, each piece carrying the article heading
and its path ("Chương II › Điều 13 › Khoản 2") in its embed text. Nothing exceeds the window."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from assistant.core.domain import Chunk, Document
from assistant.core.interfaces import TokenCounter
from indexing.chunking.assemble import PATH_SEP, build_chunk, drop_duplicate_ids
from indexing.chunking.budget import TokenBudget
from indexing.chunking.header import ContextHeader
from indexing.chunking.split import Piece, UnitSplitter, common_lead, group_text, label_range
from indexing.chunking.structure import Line
from indexing.chunking.units import LegalUnit, document_units

log = logging.getLogger(__name__)

__all__ = ["LegalChunker", "Piece", "label_range"]


class LegalChunker:
    """Implements `assistant.core.interfaces.Chunker` for laws, decrees, circulars, Pháp điển and
    ALQAC articles, and any free text (PDF pages, DOCX, HTML, TXT, Markdown)."""

    def __init__(self, counter: TokenCounter, min_tokens: int | None = None) -> None:
        self.counter = counter
        # Pieces smaller than this are merged into a neighbour when the result still fits.
        self.min_tokens = min_tokens if min_tokens is not None else counter.max_tokens // 8

    def chunk(self, document: Document, doc_hash: str) -> list[Chunk]:
        budget = TokenBudget(self.counter)  # caches token counts for this document only
        chunks: list[Chunk] = []
        for unit in document_units(document):
            if unit.lines or unit.heading:
                chunks.extend(self._chunk_unit(document, doc_hash, unit, budget))
        return drop_duplicate_ids(chunks)

    # --- one unit ----------------------------------------------------------------------------
    def _chunk_unit(
        self, document: Document, doc_hash: str, unit: LegalUnit, budget: TokenBudget
    ) -> list[Chunk]:
        source = unit.source
        title = (source.title if source else "") or document.title
        number = (source.document_number if source else "") or document.document_number
        title_line = f"{title} ({number})" if number and number not in title else title or number
        last = unit.metadata.get("path_label") or unit.article_label
        base = unit.context + ((last,) if last else ())
        # A heading that only repeats the label ("Điều 45.2.NQ.1.3.") adds nothing to the path.
        heading = "" if unit.heading.rstrip(" .") == unit.article_label else unit.heading
        header = ContextHeader(budget, title_line, base, heading)
        # A heading with no body: the heading is the text.
        lines = unit.lines or [Line(unit.heading, unit.page)]
        groups = UnitSplitter(budget, header, self.min_tokens).split(lines, unit.has_clauses)
        metadata = self._metadata(document, unit, title)
        chunks = []
        for index, group in enumerate(groups):
            labels, lead = label_range(group), common_lead(group)
            text = group_text(group)
            first = group[0].segments[0] if group[0].segments else None
            chunks.append(
                build_chunk(
                    document,
                    doc_hash,
                    unit_id=unit.unit_id,
                    index=index,
                    text=text,
                    embed_text=header.compose(labels, lead, text),
                    title=title,
                    document_number=number,
                    document_type=(source.document_type if source else "")
                    or document.document_type,
                    article_label=unit.article_label,
                    article_path=PATH_SEP.join(base + labels),
                    page=first.page if first and first.page is not None else unit.page,
                    metadata={**metadata, "part": index + 1, "parts": len(groups)},
                )
            )
        return chunks

    @staticmethod
    def _metadata(document: Document, unit: LegalUnit, title: str) -> dict[str, Any]:
        meta: dict[str, Any] = dict(unit.metadata)
        if unit.heading:
            meta["heading"] = unit.heading
        if unit.source is not None:
            meta["legal_source"] = asdict(unit.source)
        if document.format == "phapdien":
            meta.setdefault("cross_refs", [])
        if document.title and document.title != title:
            meta["document_title"] = document.title
        return meta
