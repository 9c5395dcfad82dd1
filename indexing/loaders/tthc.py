"""TTHC loader: one record of the national administrative-procedure database export per file.

One Document (title = procedure name, document_number = procedure code) with one Section
(unit_id = the code) whose `metadata["tthc"]` holds the structured fields (see
`tthc_fields.record_fields`) and whose text is a readable Vietnamese rendering of them.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.core.domain import Document, Section
from indexing.loaders.base import load_error, make_doc_id, read_text, sniff, source_key, suffix
from indexing.loaders.tthc_fields import record_fields

_LABELS = (
    ("code", "Mã thủ tục"), ("field", "Lĩnh vực"), ("level", "Cấp thực hiện"),
    ("kind", "Loại thủ tục"), ("decision", "Quyết định công bố"),
    ("subjects", "Đối tượng thực hiện"), ("agency", "Cơ quan thực hiện"),
    ("competent_agency", "Cơ quan có thẩm quyền"), ("address", "Địa chỉ tiếp nhận hồ sơ"),
    ("result", "Kết quả thực hiện"),
)  # fmt: skip


def is_tthc(head: bytes) -> bool:
    start = head.lstrip()
    return start[:1] == b"{" and (
        b'"thu_tuc_id"' in start or (b'"metadata"' in start and b'"tables"' in start)
    )


def _nfc_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {unicodedata.normalize("NFC", k): _nfc_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc_keys(v) for v in value]
    return value


def render_text(rec: dict[str, Any]) -> str:
    """The record as labelled Vietnamese text (what a citizen would read on the portal)."""
    lines = [f"Thủ tục: {rec['name']}"]
    lines += [f"{label}: {rec[key]}" for key, label in _LABELS if rec.get(key)]
    if rec["steps"]:
        lines += ["Trình tự thực hiện:", *rec["steps"]]
    for ch in rec["channels"]:
        parts = [f"thời hạn giải quyết: {ch['time_limit']}" if ch["time_limit"] else ""]
        parts += [ch["fee"], ch["description"]]
        lines.append(f"Cách thức nộp - {ch['channel']}: " + "; ".join(p for p in parts if p))
    if rec["components"]:
        lines.append("Thành phần hồ sơ:")
        for c in rec["components"]:
            form = f"mẫu: {c['form']}" if c["form"] else ""
            extra = "; ".join(p for p in (c["copies"], form) if p)
            lines.append(f"- {c['name']}" + (f" ({extra})" if extra else ""))
    if rec["requirements"]:
        lines += ["Yêu cầu, điều kiện thực hiện:", rec["requirements"]]
    if rec["legal_basis"]:
        lines.append("Căn cứ pháp lý:")
        lines += [f"- {b['number']}: {b['title']}".rstrip(": ") for b in rec["legal_basis"]]
    return "\n".join(lines)


class TthcLoader:
    format = "tthc"

    def can_load(self, path: Path) -> bool:
        return suffix(path) == ".json" and is_tthc(sniff(path, 4096))

    def load(self, path: Path) -> Iterator[Document]:
        try:
            data = _nfc_keys(json.loads(read_text(path)))
        except json.JSONDecodeError as exc:
            raise load_error(path, f"JSON không hợp lệ ({exc})", f"invalid JSON ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("metadata"), dict):
            raise load_error(
                path,
                "không phải bản ghi TTHC (thiếu 'metadata')",
                "not a TTHC record (no 'metadata')",
            )
        rec = record_fields(data)
        if not rec["code"] or not rec["name"]:
            raise load_error(
                path, "bản ghi TTHC thiếu mã hoặc tên thủ tục", "TTHC record has no code or name"
            )
        section = Section(
            text=render_text(rec),
            unit_id=rec["code"],
            heading=rec["name"],
            path=(rec["field"],) if rec["field"] else (),
            metadata={"tthc": rec},
        )
        yield Document(
            doc_id=make_doc_id(path),
            source=source_key(path),
            format=self.format,
            title=rec["name"],
            sections=[section],
            document_number=rec["code"],
            document_type="Thủ tục hành chính",
            metadata={
                "field": rec["field"],
                "level": rec["level"],
                "source_file": data.get("source_file", ""),
            },
        )
