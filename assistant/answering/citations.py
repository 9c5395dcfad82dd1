"""Citations: where an answer comes from, in the words a civil servant would write.

Labels look like "Điều 13 Luật Dược số 105/2016/QH13 (Pháp điển 45.4.LQ.13)", "Thủ tục
1.013614 — Cấp mới giấy phép hành nghề ... (CSDL quốc gia về TTHC)" or "Điều 32 Luật Phòng,
chống ma túy". Only the chunk's own metadata is used: nothing is invented.
"""

from __future__ import annotations

import re
from dataclasses import asdict, is_dataclass
from typing import Any

from assistant.core.domain import Chunk, Citation

_PHAPDIEN_ID = re.compile(r"^\d{1,2}\.\d{1,2}\.[^\W\d_]+(?:\.\d+)+$")
_TTHC_CODE = re.compile(r"^\d\.\d{6}")
_REPEATED_WORD = re.compile(r"^(\w+) \1\b", re.IGNORECASE)
# "Điều 13. ", or an outline number of a guideline section ("II. ", "3.2. ", "A. ").
_HEADING_PREFIX = re.compile(r"^(?:Điều\s+[\w.]+?\.|[IVXLC]+\.|[A-ZĐ]\.|\d+(?:\.\d+)*\.?)\s+")


def legal_source(chunk: Chunk) -> dict[str, Any]:
    """The chunk's `metadata["legal_source"]` as a dict (loaders may store a dataclass)."""
    source = chunk.metadata.get("legal_source") or {}
    if is_dataclass(source) and not isinstance(source, type):
        return asdict(source)
    return dict(source) if isinstance(source, dict) else {}


def tthc_record(chunk: Chunk) -> dict[str, Any] | None:
    record = chunk.metadata.get("tthc")
    return record if isinstance(record, dict) and record else None


def is_tthc(chunk: Chunk) -> bool:
    return tthc_record(chunk) is not None or "tthc_section" in chunk.metadata


def document_name(chunk: Chunk) -> str:
    """"Luật Dược số 105/2016/QH13", "Thông tư số 46/2018/TT-BYT", or the title alone."""
    src = legal_source(chunk)
    doc_type = str(src.get("document_type") or chunk.document_type or "").strip()
    title = str(src.get("title") or "").strip() or chunk.title.strip()
    number = str(src.get("document_number") or chunk.document_number or "").strip()
    name = title
    if doc_type and not title.lower().startswith(doc_type.lower()):
        name = f"{doc_type} {title}".strip()
    name = _REPEATED_WORD.sub(r"\1", name)  # "Luật Luật phòng, chống ..." as some notes write it
    if number and number not in name:
        name = f"{name} số {number}".strip()
    return name


def article_name(chunk: Chunk) -> str:
    src = legal_source(chunk)
    original = str(src.get("original_article") or "").strip()
    if original:
        return original
    label = chunk.article_label.strip()
    if label and not _PHAPDIEN_ID.match(label.removeprefix("Điều ").strip()):
        return label
    return ""


def article_title(chunk: Chunk) -> str:
    """The article's own title from its heading ("Điều 45.4.LQ.13. Điều kiện cấp ..." ->
    "Điều kiện cấp ..."), "" when the chunker kept none."""
    heading = str(chunk.metadata.get("heading") or "").strip().rstrip(".")
    title = _HEADING_PREFIX.sub("", heading + " ", count=1).strip()
    return "" if title == heading else title


# Demo records (corpus/demo, codes DEMO.xxxxxx) imitate the national TTHC database's format; a
# citation must not present them as coming from it.
DEMO_ORIGIN = "bản ghi mẫu DEMO, không phải CSDL quốc gia"


def citation_label(chunk: Chunk) -> str:
    """The one-line source label shown after "[n]"."""
    if is_tthc(chunk):
        record = tthc_record(chunk) or {}
        name = str(record.get("name") or chunk.title).strip().rstrip(".")
        code = str(record.get("code") or chunk.unit_id)
        origin = DEMO_ORIGIN if code.upper().startswith("DEMO") else "Cơ sở dữ liệu quốc gia về TTHC"
        return f"Thủ tục {code} — {name} ({origin})"
    parts = [p for p in (article_name(chunk), document_name(chunk)) if p]
    label = " ".join(parts) or chunk.title or chunk.source
    if _PHAPDIEN_ID.match(chunk.unit_id):
        label = f"{label} (Pháp điển {chunk.unit_id})"
    if chunk.page:
        label = f"{label}, trang {chunk.page}"
    return label


STATUS_LABELS = {
    "in_force": "đang có hiệu lực", "amended": "đã được sửa đổi, bổ sung",
    "replaced": "đã được thay thế", "expired": "hết hiệu lực",
}  # fmt: skip
PHAPDIEN_IN_FORCE = "còn hiệu lực theo bản Bộ Pháp điển đã lập chỉ mục"


def validity_label(chunk: Chunk) -> str:
    """"hiệu lực từ 01/07/2024; đã được sửa đổi, bổ sung" once the status was checked at answer
    time (assistant.validity sets `effective_date`/`status_note`), else ""."""
    effective = str(chunk.metadata.get("effective_date") or "")
    if not effective and "status_note" not in chunk.metadata:
        return ""
    since = f"hiệu lực từ {effective[8:10]}/{effective[5:7]}/{effective[:4]}" if len(effective) == 10 else ""
    if len(end := str(chunk.metadata.get("expiry_date") or "")) == 10:  # its own end (assistant.validity)
        since = "; ".join(p for p in (since, f"hết hiệu lực từ {end[8:10]}/{end[5:7]}/{end[:4]}") if p)
    status = STATUS_LABELS.get(chunk.validity, "")
    if chunk.validity == "in_force" and chunk.document_type == "Bộ Pháp điển":
        status = PHAPDIEN_IN_FORCE  # a snapshot: current as far as the indexed copy knows
    return "; ".join(p for p in (since, status) if p)


def make_citation(chunk: Chunk, quote: str) -> Citation:
    label = citation_label(chunk)
    validity = validity_label(chunk)
    return Citation(
        unit_id=chunk.unit_id or chunk.chunk_id,
        document_number=str(legal_source(chunk).get("document_number") or chunk.document_number),
        title=f"{label} — {validity}" if validity else label,
        article_path=chunk.article_path,
        page=chunk.page,
        source=chunk.source,
        quote=quote,
        effective_date=str(chunk.metadata.get("effective_date") or ""),
        status=chunk.validity if validity else "",
        status_note=str(chunk.metadata.get("status_note") or ""),
    )


def format_sources(citations: list[Citation]) -> str:
    """The numbered list printed under an answer: "[1] Điều 13 Luật Dược ..."."""
    return "\n".join(f"[{i}] {c.title}" for i, c in enumerate(citations, start=1))
