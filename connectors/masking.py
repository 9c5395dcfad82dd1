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
