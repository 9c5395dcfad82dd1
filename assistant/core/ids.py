"""Deterministic ids: the same input always gives the same id, so re-indexing an unchanged file
changes nothing and a changed file replaces exactly its own chunks."""

from __future__ import annotations

import hashlib
import uuid

_NAMESPACE = uuid.UUID("6f1c3b1e-6a57-4d1b-9a3e-2f0d7f1c9b42")


def content_hash(text: str) -> str:
    """sha256 hex digest of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_id(source_key: str) -> str:
    """A short stable id for a document from its source key (resolved path, or path#record)."""
    return hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:16]


def chunk_id(doc_id: str, doc_hash: str, path: str, text_hash: str) -> str:
    """UUID (a Qdrant point id) from document id, document version, structural path and text."""
    return str(uuid.uuid5(_NAMESPACE, f"{doc_id}|{doc_hash}|{path}|{text_hash}"))
