"""Masking personal data before it reaches an answer, a log line or the audit trail."""

from __future__ import annotations

import re
import unicodedata


def mask_name(full_name: str) -> str:
    """'Nguyễn Văn An' -> 'N*** V*** A***' (initials only, no way back to the name)."""
    words = unicodedata.normalize("NFC", full_name).split()
    return " ".join(f"{word[0].upper()}***" for word in words if word)


def mask_digits(value: str, keep: int = 2) -> str:
    """Keep only the last `keep` digits: '0905123456' -> '********56'."""
    digits = re.sub(r"\D", "", value)
    if not digits:
        return ""
    shown = digits[-keep:] if keep > 0 else ""
    return "*" * (len(digits) - len(shown)) + shown


def last4(value: str) -> str:
    """The last 4 digits of a phone or ID number ('' when it has fewer than 4 digits)."""
    digits = re.sub(r"\D", "", value)
    return digits[-4:] if len(digits) >= 4 else ""


# --- personal data in free text (questions, comments, log lines) ------------------------------
# Digit groups joined by one separator (space, dot, dash): "0814 507 890", "0814.507.890",
# "+84 814-507-890". Windows of consecutive groups are then judged by their digit count.
_GROUPS = re.compile(r"(?<![\w/])\d+(?:(?:[ \t]*[.\-][ \t]*|[ \t]+)\d+)*(?![\w/])")
_DIGITS = re.compile(r"\d+")
_MONEY_AFTER = re.compile(r"\s*(?:đồng|đ\b|vnđ|vnd|triệu|tỷ|nghìn|ngàn)", re.IGNORECASE)
_FACTOR_KEYWORD = re.compile(
    r"\b(?:số cuối|số đuôi|đuôi|[4bB]ốn số|4 số|xác minh|xác thực|sđt|sdt|điện thoại|đt|"
    r"cccd|cmnd|căn cước|chứng minh)\b[^\d\n]{0,40}?(?<!\d)(\d{4,6})(?!\d)",
    re.IGNORECASE,
)
_BARE_FACTOR = re.compile(r"(?<![\w/.,\-])\d{4,8}(?!\d)(?![.,\-/]\d)")


def _personal_number(digits: str) -> bool:
    """Phone (0 + 9–10 digits, 84 + 9 digits, 0084 + 9 digits), CMND (9) or CCCD (12)."""
    n = len(digits)
    return (
        n in (9, 12)
        or (n in (10, 11) and digits[0] == "0")
        or (n == 11 and digits.startswith("84"))
        or (n == 13 and digits.startswith("0084"))
    )


def _number_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for run in _GROUPS.finditer(text):
        groups = [(m.group(), run.start() + m.start(), run.start() + m.end())
                  for m in _DIGITS.finditer(run.group())]
        i = 0
        while i < len(groups):
            best = None
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][0]
                if len(digits) > 13:
                    break
                if _personal_number(digits):
                    best = j
            end = groups[best][2] if best is not None else 0
            if best is None or _MONEY_AFTER.match(text, end):
                i += 1
                continue
            spans.append((groups[i][1], end))
            i = best + 1
    return spans


def _hide_codes(text: str) -> str:
    """Dossier codes replaced by same-length blanks, so their digits are never judged."""
    from assistant.core.dossier_codes import iter_code_spans

    out = list(text)
    for start, end in iter_code_spans(text):
        out[start:end] = "\x00" * (end - start)
    return "".join(out)


def mask_personal_data(text: str, *, dossier_context: bool = False) -> str:
    """Phone, CCCD/CMND numbers and verification factors (4–6 digits after words such as
    "số cuối", "sđt", "CCCD") with their digits replaced by '*'; dossier codes, dates,
    document numbers and amounts of money are kept. In a dossier conversation
    (`dossier_context`) any standalone 4–8 digit run is a verification factor too."""
    if not text or not any(ch.isdigit() for ch in text):
        return text
    work = _hide_codes(text)
    spans = _number_spans(work)
    spans += [m.span(1) for m in _FACTOR_KEYWORD.finditer(work)]
    if dossier_context:
        spans += [m.span() for m in _BARE_FACTOR.finditer(work)]
    out = list(text)
    for start, end in spans:
        for k in range(start, end):
            if out[k].isdigit():
                out[k] = "*"
    return "".join(out)
