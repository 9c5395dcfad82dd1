"""Building a free-form Document (PDF, DOCX, HTML, TXT): sections without unit_id, header fields
(number, type, title, issue date) detected from the first section's text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.core.domain import Document, Section
from indexing.loaders.base import make_doc_id, source_key
from indexing.loaders.header import detect_header
from assistant.core.text import normalize_text
from indexing.loaders.legacy_encoding import convert_legacy, detect_legacy_encoding, ensure_unicode


def normalise_texts(texts: list[str], path: Path) -> list[str]:
    """Legacy encodings repaired (decided once for the whole file), then `normalize_text`."""
    joined = "\n".join(texts)
    ensure_unicode(joined, str(path))  # raises when it is an unconvertible legacy encoding
    encoding = detect_legacy_encoding(joined)
    if encoding:
        texts = [convert_legacy(t, encoding) for t in texts]
    return [normalize_text(t) for t in texts]


def freeform_document(
    path: Path,
    fmt: str,
    sections: list[Section],
    *,
    title_hint: str = "",
    warnings: list[str] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Document:
    """A Document whose header fields come from the first section; each section gets the
    detected LegalSource so citations can name the document number."""
    info = detect_header(sections[0].text if sections else "")
    legal = info.legal_source()
    if legal is not None:
        for section in sections:
            section.source = legal
    meta = dict(metadata or {})
    meta.update({k: v for k, v in (("issuer", info.issuer), ("issue_date", info.issue_date)) if v})
    return Document(
        doc_id=make_doc_id(path),
        source=source_key(path),
        format=fmt,
        title=info.title or title_hint.strip() or Path(path).stem.replace("_", " "),
        sections=sections,
        document_number=info.document_number,
        document_type=info.document_type,
        metadata=meta,
        warnings=list(warnings or []),
    )
