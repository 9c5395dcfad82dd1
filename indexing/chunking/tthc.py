"""The TTHC chunker: one administrative-procedure record becomes one chunk per section (overview,
steps, components, time and fees, requirements, legal basis). Every chunk's text starts with
the procedure's name and code, and its metadata carries the whole structured record so an
answerer can list the components, fee and time limit. A section too long for the window is
split at item boundaries (then sentences), with the same no-truncation guarantee."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from assistant.core.domain import Chunk, Document, Section
from assistant.core.interfaces import TokenCounter
from indexing.chunking.assemble import build_chunk, drop_duplicate_ids
from indexing.chunking.budget import TokenBudget
from indexing.chunking.legal import LegalChunker
from indexing.chunking.packing import Segment, join_segments, pack_segments
from indexing.chunking.tthc_render import SECTION_LABELS, present, render_sections

log = logging.getLogger(__name__)

DOCUMENT_TYPE = "Thủ tục hành chính"


class TthcChunker:
    """Implements `assistant.core.interfaces.Chunker` for documents of format "tthc"."""

    def __init__(self, counter: TokenCounter) -> None:
        self.counter = counter
        self._fallback = LegalChunker(counter)

    def chunk(self, document: Document, doc_hash: str) -> list[Chunk]:
        budget = TokenBudget(self.counter)
        chunks: list[Chunk] = []
        for section in document.sections:
            record = section.metadata.get("tthc")
            if not isinstance(record, dict):
                log.warning(
                    "TTHC section without a record, chunked as text",
                    extra={"doc_id": document.doc_id, "unit_id": section.unit_id},
                )
                chunks.extend(self._fallback.chunk(replace(document, sections=[section]), doc_hash))
                continue
            chunks.extend(self._chunk_record(document, doc_hash, section, record, budget))
        return drop_duplicate_ids(chunks)

    def _chunk_record(
        self,
        document: Document,
        doc_hash: str,
        section: Section,
        record: dict[str, Any],
        budget: TokenBudget,
    ) -> list[Chunk]:
        code = present(record.get("code")) or section.unit_id
        name = (present(record.get("name")) or section.heading or document.title).rstrip(". ")
        name_line = f"{name} (mã {code})" if code else name
        field = present(record.get("field"))
        out: list[Chunk] = []
        for key, lines in render_sections(record):
            label = SECTION_LABELS[key]
            pieces = self._split(budget, name_line, code, label, lines)
            for part, text in enumerate(pieces, start=1):
                out.append(
                    build_chunk(
                        document,
                        doc_hash,
                        unit_id=section.unit_id or code,
                        index=part,
                        text=text,
                        embed_text=text,
                        title=name,
                        document_number=document.document_number or code,
                        document_type=document.document_type or DOCUMENT_TYPE,
                        article_label=label,
                        article_path=label,
                        page=section.page,
                        metadata={
                            "tthc_section": key,
                            "tthc_field": field,
                            "tthc": record,
                            "part": part,
                            "parts": len(pieces),
                        },
                    )
                )
        return out

    @staticmethod
    def _split(
        budget: TokenBudget, name_line: str, code: str, label: str, lines: list[str]
    ) -> list[str]:
        """The section as one text, or as several that each start with the name and code (only
        the code when the name would take more than half the window)."""
        if budget.count(name_line) > budget.max_tokens // 2:
            name_line = f"Mã thủ tục {code}"
        head, more = f"{label}:", f"{label} (tiếp theo):"
        first = budget.window(lambda text: f"{name_line}\n{head}\n{text}", (name_line, head))
        later = budget.window(lambda text: f"{name_line}\n{more}\n{text}", (name_line, more))
        segments = [Segment(line) for line in lines]
        whole = join_segments(segments)
        if first.fit_tokens(segments, whole) is not None:
            return [first.compose(whole)]
        groups = [join_segments(g) for g in pack_segments(segments, later)]
        texts = [later.compose(g) for g in groups]
        if texts and first.fits(groups[0]):
            texts[0] = first.compose(groups[0])
        return texts
