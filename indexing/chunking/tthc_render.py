"""Rendering a TTHC record (the loader's `metadata["tthc"]`) as Vietnamese text, one list of
lines per section, so a long section can be split at item boundaries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

SECTION_LABELS = {
    "overview": "Thông tin chung",
    "steps": "Trình tự thực hiện",
    "components": "Thành phần hồ sơ",
    "time_and_fees": "Cách thức thực hiện, thời hạn giải quyết, phí, lệ phí",
    "requirements": "Yêu cầu, điều kiện thực hiện",
    "legal_basis": "Căn cứ pháp lý",
}
_EMPTY = {"", "không có thông tin", "không", "không có", "null", "none"}
_STEP = re.compile(r"\s+(?=Bước\s+\d+\s*[.:])")
_TEMPLATE = re.compile(r"\.(docx?|pdf|xlsx?)$", re.I)

_OVERVIEW_FIELDS = (
    ("field", "Lĩnh vực"),
    ("level", "Cấp thực hiện"),
    ("kind", "Loại thủ tục"),
    ("decision", "Quyết định công bố"),
    ("subjects", "Đối tượng thực hiện"),
    ("agency", "Cơ quan thực hiện"),
    ("competent_agency", "Cơ quan có thẩm quyền"),
    ("address", "Địa chỉ tiếp nhận hồ sơ"),
    ("result", "Kết quả thực hiện"),
    ("description", "Mô tả"),
)


def present(value: Any) -> str:
    """Flat text of a value, "" when it is missing or says "Không có thông tin"."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(t for t in (present(v) for v in value) if t)
    if isinstance(value, dict):
        return "; ".join(t for t in (present(v) for v in value.values()) if t)
    text = str(value).strip()
    return "" if text.lower().strip(" .") in _EMPTY else text


def _lines(value: Any) -> list[str]:
    """A text or a list as lines ("Bước 2." starting mid-line begins a new line)."""
    if isinstance(value, (list, tuple)):
        return [line for item in value for line in _lines(item)]
    text = present(value)
    return [ln.strip() for ln in _STEP.sub("\n", text).splitlines() if ln.strip()]


def _overview(rec: dict[str, Any]) -> list[str]:
    lines = [f"{label}: {present(rec.get(key))}" for key, label in _OVERVIEW_FIELDS]
    channels = [present(c.get("channel")) for c in _dicts(rec.get("channels"))]
    if any(channels):
        lines.append("Cách thức nộp hồ sơ: " + ", ".join(c for c in channels if c))
    return [ln for ln in lines if not ln.endswith(": ")]


def _component(item: Any) -> str:
    """"- [Trường hợp 2] Đơn đề nghị (Bản chính: 1, Bản sao: 0; mẫu: Mau01.docx)"."""
    if not isinstance(item, dict):
        return present(item)
    fields = {
        key: ", ".join(" ".join(ln.split()) for ln in present(value).splitlines() if ln.strip())
        for key, value in item.items()
    }
    name = next((fields[k] for k in ("name", "ten_giay_to", "ten", "title") if fields.get(k)), "")
    case = fields.get("case", "")
    extras = []
    for key, text in fields.items():
        if not text or text == name or key in ("name", "ten_giay_to", "ten", "title", "case"):
            continue
        if key in ("form", "template") or _TEMPLATE.search(text):
            extras.append(f"mẫu: {text}")
        elif key in ("quantity", "so_luong"):
            extras.append(f"số lượng: {text}")
        else:
            extras.append(text)
    prefix = f"[{case}] " if case and not name.lstrip("0123456789. ").startswith(case) else ""
    body = f"{name} ({'; '.join(extras)})" if name and extras else name or "; ".join(extras)
    return prefix + body if body else ""


def _channel(item: dict[str, Any]) -> str:
    parts = [
        f"thời hạn giải quyết: {present(item.get('time_limit'))}",
        f"phí, lệ phí: {present(item.get('fee'))}",
        present(item.get("description")),
    ]
    body = "; ".join(p for p in parts if p and not p.endswith(": "))
    name = present(item.get("channel")) or "Hình thức nộp"
    return f"- {name}: {body}" if body else f"- {name}"


def _legal(item: Any) -> str:
    if not isinstance(item, dict):
        return f"- {present(item)}"
    number, title = present(item.get("number")), present(item.get("title"))
    head = title if number and number in title else ": ".join(p for p in (number, title) if p)
    tail = ", ".join(p for p in (present(item.get("date")), present(item.get("issuer"))) if p)
    return f"- {head} ({tail})" if tail else f"- {head}"


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _items(value: Any) -> Iterable[Any]:
    return value if isinstance(value, (list, tuple)) else ([value] if value else [])


def render_sections(rec: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(section key, body lines) for each section that has content, in reading order."""
    sections = [
        ("overview", _overview(rec)),
        ("steps", _lines(rec.get("steps"))),
        ("components", [f"- {c}" for c in map(_component, _items(rec.get("components"))) if c]),
        ("time_and_fees", [_channel(c) for c in _dicts(rec.get("channels"))]),
        ("requirements", _lines(rec.get("requirements"))),
        ("legal_basis", [t for t in map(_legal, _items(rec.get("legal_basis"))) if t != "- "]),
    ]
    return [(key, lines) for key, lines in sections if lines]
