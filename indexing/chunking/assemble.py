"""Building Chunk objects: deterministic ids, document-level fields, JSON-safe metadata."""

from __future__ import annotations

import json
import logging
from typing import Any

from assistant.core.domain import Chunk, Document
from assistant.core.ids import chunk_id, content_hash

log = logging.getLogger(__name__)

PATH_SEP = " › "


def jsonable(value: Any) -> Any:
    """A JSON-serialisable copy (tuples become lists, unknown objects their str())."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def build_chunk(
    document: Document,
    doc_hash: str,
    *,
    unit_id: str,
    index: int,
    text: str,
    embed_text: str,
    title: str,
    document_number: str,
    document_type: str,
    article_label: str,
    article_path: str,
    page: int | None,
    metadata: dict[str, Any],
) -> Chunk:
    """A chunk whose id depends on the document, its version, the unit, the structural path,
    the chunk's position within the unit and the embedded text."""
    digest = content_hash(embed_text)
    return Chunk(
        chunk_id=chunk_id(document.doc_id, doc_hash, f"{unit_id}|{article_path}|{index}", digest),
        doc_id=document.doc_id,
        doc_hash=doc_hash,
        unit_id=unit_id,
        text=text,
        embed_text=embed_text,
        title=title,
        document_number=document_number,
        document_type=document_type,
        article_label=article_label,
        article_path=article_path,
        page=page,
        source=document.source,
        audience=document.audience,
        validity=document.validity,
        replaced_by=document.replaced_by,
        content_hash=digest,
        metadata=jsonable(metadata),
    )


def drop_duplicate_ids(chunks: list[Chunk]) -> list[Chunk]:
    """Keep the first chunk of each id (a document that repeats a unit verbatim would otherwise
    write one point twice and count it twice)."""
    seen: set[str] = set()
    out = []
    for chunk in chunks:
        if chunk.chunk_id in seen:
            log.warning("duplicate chunk dropped", extra={"unit_id": chunk.unit_id})
            continue
        seen.add(chunk.chunk_id)
        out.append(chunk)
    return out
