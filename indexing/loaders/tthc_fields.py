"""Turning the national TTHC export's Vietnamese-keyed record into structured English-keyed
fields: steps split at "Bước N.", submission channels, dossier components (grouped by case),
legal basis. "Không có thông tin" becomes ""."""

from __future__ import annotations

import re
from typing import Any

from assistant.core.legal_dates import iso_date
from assistant.core.legal_numbers import FIELD_NUMBER, infer_from_number
from assistant.core.text import normalize_text

_NO_INFO = {"không có thông tin", "không có", "null", "none"}
_STEP_SPLIT = re.compile(
    r"\s*(?=\bBước\s*\d+\s*[.:])|(?:(?<=[.;:])(?<!\d\.)\s+|\n)(?=(?:\d+\.\s*)?Trường hợp\s+\d+\b)"
)
_FEE = re.compile(r"^(?P<label>[^:]{1,20}?)\s*:\s*(?P<amount>.*)$", re.S)
_COPIES = re.compile(r"Bản chính\s*:\s*(\d+)\s*Bản sao\s*:\s*(\d+)")
_CASE = re.compile(r"^(?:\d+\.\s*)?Trường hợp\s+(\d+)")
_SUBCASE = re.compile(r"^(?:\d+\.\s*Trường hợp\s+\d+\s*:\s*)?(\d+\.\d+)\.?\s")


def clean(value: Any) -> str:
    """Normalised text; "" for missing values and "Không có thông tin"."""
    if value is None:
        return ""
    text = normalize_text(str(value))
    return "" if text.lower().strip(" .") in _NO_INFO else text


def split_steps(text: str) -> list[str]:
    """"Bước 1. … Bước 2. …" -> one item per step (a "Trường hợp N" heading starts its own)."""
    text = clean(text)
    if not text:
        return []
    if not re.search(r"\bBước\s*\d+", text):
        return [line for line in text.splitlines() if line.strip()]
    return [part.strip() for part in _STEP_SPLIT.split(text) if part and part.strip()]


def fee_text(raw: str) -> str:
    """"Phí : 0 Đồng" -> "Phí: 0 Đồng"; "Phí :  Đồng" (no amount) -> ""."""
    text = " ".join(clean(raw).split())
    match = _FEE.match(text)
    if not match:
        return text
    amount = match.group("amount").strip()
    return "" if amount.lower() in ("", "đồng") else f"{match.group('label')}: {amount}"


def channels(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "channel": clean(row.get("hinh_thuc")),
            "time_limit": " ".join(clean(row.get("thoi_han_giai_quyet")).split()),
            "fee": fee_text(row.get("phi_le_phi") or ""),
            "description": clean(row.get("mo_ta")),
        }
        for row in rows
        if isinstance(row, dict)
    ]


def _case_label(name: str) -> str:
    sub, main = _SUBCASE.match(name), _CASE.match(name)
    number = sub.group(1) if sub else (main.group(1) if main else "")
    return f"Trường hợp {number}" if number else ""


def components(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One dict per table row: name, copies ("Bản chính: 1, Bản sao: 0"), form (template file
    names; the export stores them in `so_luong`), case ("Trường hợp 2" for rows under a case
    heading). A heading row (no copies, "Trường hợp N…"/"1.2. …") starts a new case."""
    out: list[dict[str, str]] = []
    case = ""
    for row in rows:
        if not isinstance(row, dict):
            continue
        name = " ".join(clean(row.get("ten_giay_to")).split())
        counts = _COPIES.search(" ".join(clean(row.get("ghi_chu")).split()))
        originals, copies = (int(counts.group(1)), int(counts.group(2))) if counts else (0, 0)
        label = _case_label(name)
        if label:
            case = label
        forms = [f.strip() for f in clean(row.get("so_luong")).splitlines() if f.strip()]
        heading = label and originals == 0 and copies == 0
        out.append(
            {
                "name": name,
                "copies": "" if heading else f"Bản chính: {originals}, Bản sao: {copies}",
                "form": ", ".join(forms),
                "case": case,
            }
        )
    return out


def legal_basis(rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        raw_number = " ".join(clean(row.get("so_ky_hieu")).split())
        title = " ".join(clean(row.get("trich_yeu")).split())
        found = FIELD_NUMBER.search(raw_number) or FIELD_NUMBER.search(title)
        number = found.group(0) if found else raw_number
        date = re.match(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})", clean(row.get("ngay_ban_hanh")))
        issuer = " ".join(clean(row.get("co_quan_ban_hanh")).split())
        out.append(
            {
                "number": number,
                "title": title,
                "date": iso_date(*date.groups()) if date else "",
                "issuer": issuer or infer_from_number(number)[1],
            }
        )
    return out


def record_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The English-keyed `metadata["tthc"]` of one export record."""
    meta = data.get("metadata") or {}
    content = data.get("content") or {}
    tables = data.get("tables") or {}
    return {
        "code": clean(meta.get("mã_thủ_tục") or data.get("thu_tuc_id")),
        "name": clean(meta.get("tên_thủ_tục")).rstrip(". "),
        "decision": " ".join(clean(meta.get("số_quyết_định")).split()),
        "level": clean(meta.get("cấp_thực_hiện")),
        "kind": clean(meta.get("loại_thủ_tục")),
        "field": clean(meta.get("lĩnh_vực")),
        "steps": split_steps(content.get("trình_tự_thực_hiện", "")),
        "submission": clean(content.get("cách_thức_thực_hiện")),
        "channels": channels(tables.get("hinh_thuc_nop") or []),
        "components": components(tables.get("thanh_phan_ho_so") or []),
        "subjects": clean(content.get("đối_tượng_thực_hiện")),
        "agency": clean(content.get("cơ_quan_thực_hiện")),
        "competent_agency": clean(content.get("cơ_quan_có_thẩm_quyền")),
        "authorized_agency": clean(content.get("cơ_quan_được_ủy_quyền")),
        "coordinating_agency": clean(content.get("cơ_quan_phối_hợp")),
        "address": clean(content.get("địa_chỉ_tiếp_nhận_hs")),
        "result": clean(content.get("kết_quả_thực_hiện")),
        "requirements": clean(content.get("yêu_cầu_điều_kiện_thực_hiện")),
        "keywords": clean(content.get("từ_khóa")),
        "description": clean(content.get("mô_tả")),
        "legal_basis": legal_basis(tables.get("can_cu_phap_ly") or []),
    }
