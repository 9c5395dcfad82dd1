"""Reading a loaded Document's validity facts from its own text, under its sidecar's values."""

from __future__ import annotations

import re
from dataclasses import replace

from assistant.core.domain import Document, DocumentRelation
from indexing.validity.extract import extract_validity
from assistant.core.legal_numbers import find_numbers


def read_validity(document: Document, sidecar: dict[str, str] | None = None) -> Document:
    """Effective date and relations of a free-form document (structured units — Pháp điển,
    TTHC, ALQAC — cite their own sources and are left alone). Sidecar values win:
    `effective_date`, `expiry_date`, and `replaces` (numbers or doc ids, ";"-separated) added as relations."""
    sidecar = sidecar or {}
    if document.sections and all(not s.unit_id for s in document.sections):
        text = "\n".join(s.text for s in document.sections)
        facts = extract_validity(
            text,
            issue_date=str(document.metadata.get("issue_date") or ""),
            own_number=document.document_number,
        )
        document.effective_date = document.effective_date or facts.effective_date
        document.expiry_date = document.expiry_date or facts.expiry_date
        document.relations = list(facts.relations)
        if not document.metadata.get("issuer") and (issuer := issuer_from_header(text)):
            document.metadata["issuer"] = issuer
    if sidecar.get("effective_date"):
        document.effective_date = sidecar["effective_date"]
    for target in _targets(sidecar.get("replaces", "")):
        document.relations.append(DocumentRelation("replaces", target))
    document.relations = [
        replace(r, source=document.document_number, source_doc_id=document.doc_id,
                effective_date=document.effective_date)
        for r in document.relations
    ]  # fmt: skip
    for section in document.sections:
        if section.source is not None and not section.unit_id and not section.source.effective_date:
            section.source = replace(section.source, effective_date=document.effective_date)
    return document


_ISSUER = re.compile(
    r"^\s*(?:[#>*]+\s*)?((?:BỘ|SỞ|ỦY BAN NHÂN DÂN|UBND|QUỐC HỘI|CHÍNH PHỦ|THỦ TƯỚNG|BẢO HIỂM XÃ HỘI|"
    r"CỤC|TỔNG CỤC|TRUNG TÂM|BỆNH VIỆN)\b[^\n]{0,60})$",
    re.MULTILINE,
)


def issuer_from_header(text: str) -> str:
    """"BỘ Y TẾ" / "SỞ Y TẾ (DEMO)" in the first lines -> "Bộ Y tế" / "Sở Y tế (DEMO)"."""
    match = _ISSUER.search("\n".join(text.splitlines()[:8]))
    if not match or not match.group(1).split("(")[0].strip().isupper():
        return ""
    words = [w if w.startswith("(") else w.lower() for w in match.group(1).strip().split()]
    named = 2 if words[0] in ("bộ", "sở", "cục") and len(words) > 1 else 1  # "Bộ Y tế", "Sở Tư pháp"
    return " ".join([w.capitalize() for w in words[:named]] + words[named:])


def _targets(value: str) -> list[str]:
    parts = [p.strip() for p in value.replace(",", ";").split(";")]
    return [p for p in parts if p] or find_numbers(value)
