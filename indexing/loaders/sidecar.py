"""Optional `<file>.meta.json` next to a source file: admin overrides of detected metadata,
e.g. `{"audience": "staff"}` for an internal circular or `{"validity": "replaced",
"replaced_by": "12/2024/TT-BYT"}` for a superseded one."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

from assistant.core.audience import DOCUMENT_AUDIENCES as AUDIENCES
from assistant.core.domain import Document, LegalSource, Validity
from indexing.loaders.base import load_error
from assistant.core.text import normalize_text

SIDECAR_SUFFIX = ".meta.json"
FIELDS = (
    "title", "document_number", "document_type", "audience", "validity", "replaced_by",
    "effective_date", "expiry_date", "replaces",  # validity lifecycle (indexing/validity/document.py)
)  # fmt: skip
VALIDITIES: tuple[str, ...] = get_args(Validity)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def sidecar_path(path: Path) -> Path:
    return Path(path).with_name(Path(path).name + SIDECAR_SUFFIX)


def is_sidecar(path: Path) -> bool:
    return Path(path).name.endswith(SIDECAR_SUFFIX)


def check_audience(value: str, where: Path | str) -> str:
    if value not in AUDIENCES:
        raise load_error(
            where,
            f"audience '{value}' không hợp lệ (chỉ {'/'.join(AUDIENCES)})",
            f"invalid audience '{value}' (expected {'/'.join(AUDIENCES)})",
        )
    return value


def read_sidecar(path: Path) -> dict[str, str]:
    """The sidecar's known fields ({} when there is no sidecar)."""
    side = sidecar_path(path)
    if not side.is_file():
        return {}
    try:
        data: Any = json.loads(side.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise load_error(
            side, f"tệp meta không đọc được ({exc})", f"unreadable meta file ({exc})"
        ) from exc
    if not isinstance(data, dict):
        raise load_error(
            side, "tệp meta phải là một đối tượng JSON", "meta file must be a JSON object"
        )
    meta = {k: normalize_text(_text(data[k])) for k in FIELDS if data.get(k) is not None}
    if "audience" in meta:
        check_audience(meta["audience"], side)
    if meta.get("validity", "in_force") not in VALIDITIES:
        raise load_error(
            side,
            f"validity '{meta['validity']}' không hợp lệ (chỉ {'/'.join(VALIDITIES)})",
            f"invalid validity '{meta['validity']}' (expected {'/'.join(VALIDITIES)})",
        )
    if meta.get("replaced_by") and "validity" not in meta:
        meta["validity"] = "replaced"
    for key in ("effective_date", "expiry_date"):
        if meta.get(key) and not _ISO_DATE.match(meta[key]):
            raise load_error(
                side, f"{key} '{meta[key]}' phải có dạng yyyy-mm-dd", f"{key} '{meta[key]}' must be yyyy-mm-dd"
            )
    return meta


def _text(value: Any) -> str:
    return "; ".join(map(str, value)) if isinstance(value, list) else str(value)


def apply_sidecar(document: Document, meta: dict[str, str]) -> Document:
    """Overrides in place; free-form sections' legal source follows the new number/type/title."""
    for key in FIELDS:
        if key in meta and key != "replaces":  # relations: indexing/validity/document.py
            setattr(document, key, meta[key])
    if meta:
        document.metadata["sidecar_fields"] = sorted(meta)
    identity = {k: meta[k] for k in ("document_number", "document_type", "title") if k in meta}
    if identity:
        for section in document.sections:
            if not section.unit_id:  # structured units cite their own original documents
                section.source = replace(section.source or LegalSource(), **identity)
        document.metadata["sidecar"] = sorted(meta)
    return document
