"""Answers about an administrative procedure (TTHC) from its structured record, not from prose:
dossier components as a list, time limit, fee, where and how to submit, legal basis.

The question decides which parts are shown ("phí" → fee, "hồ sơ gồm" → components); a
general question gets the summary. Every value is copied from the record: a missing field is
reported as missing ("chưa có thông tin"), never filled in.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.core.text import fold_accents

ASPECTS = ("components", "time", "fee", "where", "steps", "basis", "result", "conditions")
_CUES = {
    "components": r"ho so|giay to|thanh phan|chuan bi|nop nhung gi|can nhung gi|mau don|to khai",
    "time": r"bao lau|thoi han|may ngay|bao nhieu ngay|thoi gian|khi nao co|mat bao",
    "fee": r"\bphi\b|le phi|bao nhieu tien|chi phi|mat tien|mien phi|het bao nhieu",
    "where": r"o dau|noi nop|dia chi|co quan nao|cach nop|nop truc tuyen|truc tuyen|buu chinh|nop the nao|nop qua",
    "steps": r"trinh tu|cac buoc|quy trinh|thu tuc the nao|lam the nao|cach thuc hien",
    "basis": r"can cu|van ban phap ly|co so phap ly|quy dinh tai|theo van ban",
    "result": r"ket qua|nhan duoc gi",
    "conditions": r"dieu kien|yeu cau",
}
SUMMARY = ("components", "time", "fee", "where", "basis")
ASPECT_LABELS = {
    "components": "Thành phần hồ sơ",
    "time": "Thời hạn giải quyết",
    "fee": "Phí, lệ phí",
    "where": "Nơi nộp, cách nộp",
    "steps": "Trình tự thực hiện",
    "basis": "Căn cứ pháp lý",
    "result": "Kết quả thực hiện",
    "conditions": "Yêu cầu, điều kiện",
}
_MISSING = "chưa có thông tin trong hồ sơ thủ tục"
_EMPTY = {"", "không có thông tin", "không", "none"}


def asked_aspects(question: str) -> tuple[str, ...]:
    folded = fold_accents(question).lower()
    found = tuple(a for a in ASPECTS if re.search(_CUES[a], folded))
    return found or SUMMARY


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        for key in ("name", "ten_giay_to", "text", "title", "trich_yeu", "description"):
            if value.get(key):
                return str(value[key]).strip()
        return ""
    text = str(value).strip()
    return "" if text.lower() in _EMPTY else text


def _channels(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for c in record.get("channels") or [] if isinstance(c, dict)]


def components_lines(record: dict[str, Any]) -> list[str]:
    """One "- " line per dossier component: its name, then its other fields in brackets."""
    lines = []
    for item in record.get("components") or []:
        name = _text(item)
        if not name:
            continue
        if isinstance(item, dict):
            extras = [
                " ".join(_text(v).split())
                for k, v in item.items()
                if _text(v) and _text(v) not in name and not isinstance(v, (dict, list))
            ]
            name = f"{name} ({'; '.join(extras)})" if extras else name
        lines.append(f"- {name}")
    return lines


def _basis_line(item: Any) -> str:
    if not isinstance(item, dict):
        return _text(item)
    number, title = _text(item.get("number")), _text(item.get("title") or item.get("trich_yeu"))
    head = title if number and number in title else ": ".join(p for p in (number, title) if p)
    date = _text(item.get("date"))
    return f"{head} ({date})" if head and date and date not in head else head


def _channel_values(record: dict[str, Any], key: str) -> list[str]:
    out = []
    for channel in _channels(record):
        value = _text(channel.get(key))
        if value:
            out.append(f"{_text(channel.get('channel')) or 'Không rõ hình thức'}: {value}")
    return list(dict.fromkeys(out))


def _same_for_all(values: list[str]) -> str:
    tails = {v.split(": ", 1)[1] for v in values}
    return tails.pop() if len(tails) == 1 and values else ""


def section(record: dict[str, Any], aspect: str) -> str:
    """One aspect of the procedure, as short Vietnamese text."""
    if aspect == "components":
        lines = components_lines(record)
        return "Thành phần hồ sơ:\n" + ("\n".join(lines) if lines else f"- {_MISSING}")
    if aspect in ("time", "fee"):
        key, label = ("time_limit", "Thời hạn giải quyết") if aspect == "time" else ("fee", "Phí, lệ phí")
        values = _channel_values(record, key)
        same = _same_for_all(values)
        if same:
            return f"{label}: {same}."
        if values:
            return f"{label}:\n" + "\n".join(f"- {v}" for v in values)
        return f"{label}: {_MISSING}."
    if aspect == "where":
        names = [_text(c.get("channel")) for c in _channels(record) if _text(c.get("channel"))]
        parts = []
        if _text(record.get("agency")):
            parts.append(f"Cơ quan thực hiện: {_text(record.get('agency'))}.")
        if _text(record.get("address")):
            parts.append(f"Địa chỉ tiếp nhận hồ sơ: {_text(record.get('address'))}.")
        if names:
            parts.append(f"Hình thức nộp: {', '.join(dict.fromkeys(names))}.")
        return "\n".join(parts) or f"Nơi nộp hồ sơ: {_MISSING}."
    if aspect == "basis":
        items = [line for line in map(_basis_line, record.get("legal_basis") or []) if line]
        return "Căn cứ pháp lý:\n" + ("\n".join(f"- {i}" for i in items) if items else f"- {_MISSING}")
    key, label = {
        "steps": ("steps", "Trình tự thực hiện"),
        "result": ("result", "Kết quả thực hiện"),
        "conditions": ("requirements", "Yêu cầu, điều kiện"),
    }[aspect]
    value = record.get(key)
    if isinstance(value, list):
        value = "\n".join(_text(v) for v in value if _text(v))
    return f"{label}: {_text(value) or _MISSING}"


def procedure_answer(record: dict[str, Any], question: str, marker: str, max_chars: int = 1800) -> str:
    """The procedure's name with the citation marker, then the asked aspects."""
    name = _text(record.get("name")) or _text(record.get("code"))
    head = f"Thủ tục “{name.rstrip('.')}” (mã {_text(record.get('code'))}) {marker}:"
    body = "\n".join(section(record, a) for a in asked_aspects(question))
    if len(body) > max_chars:
        body = body[:max_chars].rsplit("\n", 1)[0] + "\n…"
    return f"{head}\n{body}"
