"""Vietnamese text normalisation, applied once at load time, and accent folding for matching
questions typed without diacritics.

`normalize_text` makes every loader's output comparable: NFC (part of the shared data is NFD),
one tone-mark placement style for the open syllables oa/oe/uy (hoà → hòa, uỷ → ủy, never qúy),
no zero-width or control characters, collapsed spaces. Legacy byte encodings (TCVN3, VNI,
Windows-1258) are repaired by `ensure_unicode` / `decode_bytes`; the tables live in
`indexing.loaders.legacy_encoding` (imported lazily: the loaders import this module).
"""

from __future__ import annotations

import re
import unicodedata

from types import ModuleType

from assistant.errors import LoadError

__all__ = [
    "canonical_tone_marks",
    "convert_legacy",
    "decode_bytes",
    "detect_legacy_encoding",
    "ensure_unicode",
    "fold_accents",
    "normalize_text",
]

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f\x7f]")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _tone_table() -> tuple[dict[str, tuple[str, str]], dict[tuple[str, str], str]]:
    """toned vowel -> (base, tone) and back, for the vowels the canonical rule moves."""
    split: dict[str, tuple[str, str]] = {}
    join: dict[tuple[str, str], str] = {}
    for base in "aeyoAEYOuU":
        for tone in _TONES:
            toned = unicodedata.normalize("NFC", base + tone)
            split[toned] = (base, tone)
            join[(base, tone)] = toned
    return split, join


_SPLIT, _JOIN = _tone_table()
_OA_OE = re.compile(r"([oO])([àáảãạèéẻẽẹÀÁẢÃẠÈÉẺẼẸ])(?!\w)")
_UY = re.compile(r"(?<![qQ])([uU])([ỳýỷỹỵỲÝỶỸỴ])(?!\w)")


def _move_tone(match: re.Match[str]) -> str:
    first, toned = match.group(1), match.group(2)
    base, tone = _SPLIT[toned]
    return _JOIN[(first, tone)] + base


def canonical_tone_marks(text: str) -> str:
    """Put the tone of an open oa/oe/uy syllable on its first vowel ("hoà" → "hòa", "thuý" →
    "thúy", "uỷ" → "ủy"); "quý" keeps its mark because "qu" is the initial. Expects NFC."""
    text = _OA_OE.sub(_move_tone, text)
    return _UY.sub(_move_tone, text)


def normalize_text(text: str) -> str:
    """NFC, canonical tone-mark placement, no invisible characters, collapsed whitespace
    (newlines kept, at most one blank line in a row)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = canonical_tone_marks(text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def fold_accents(text: str) -> str:
    """Remove Vietnamese diacritics: 'Bảo hiểm y tế' -> 'Bao hiem y te' (đ -> d)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


# --- legacy encodings ------------------------------------------------------------------------


def _legacy() -> ModuleType:
    from indexing.loaders import legacy_encoding

    return legacy_encoding


def detect_legacy_encoding(text_or_bytes: str | bytes) -> str | None:
    """"tcvn3", "vni" or "cp1258" when the input is Vietnamese in that legacy encoding (raw
    bytes, or text that was decoded as cp1252/latin-1); None for Unicode or plain ASCII."""
    legacy = _legacy()
    return legacy.detect(legacy.as_legacy_text(text_or_bytes))


def convert_legacy(text_or_bytes: str | bytes, encoding: str) -> str:
    """Convert legacy-encoded input ("tcvn3", "vni", "cp1258") to Unicode (NFC)."""
    legacy = _legacy()
    return legacy.convert(legacy.as_legacy_text(text_or_bytes), encoding)


def ensure_unicode(text: str, source: str = "") -> str:
    """Return `text`, converted when it is TCVN3/VNI/cp1258 mojibake. Raise LoadError when it
    looks like a legacy encoding that none of the converters turns into Vietnamese."""
    legacy = _legacy()
    if not legacy.looks_legacy(text):
        return text
    encoding = legacy.detect(text)
    if encoding is None:
        raise LoadError(
            source or "<text>",
            "văn bản dùng bảng mã cũ (TCVN3/VNI?) không chuyển đổi được sang Unicode / "
            "text is in a legacy Vietnamese encoding that could not be converted",
        )
    return legacy.convert(text, encoding)


def decode_bytes(data: bytes, source: str = "") -> str:
    """Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy
    Vietnamese byte encoding. Raises LoadError rather than returning garbage."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ensure_unicode(data.decode("utf-16"), source)
    try:
        return ensure_unicode(data.decode("utf-8-sig"), source)
    except UnicodeDecodeError:
        pass
    legacy = _legacy()
    text = legacy.as_legacy_text(data)
    encoding = legacy.detect(text)
    if encoding is not None:
        return legacy.convert(text, encoding)
    if not legacy.looks_legacy(text):
        return text  # ASCII with a few Western symbols: nothing Vietnamese to lose
    raise LoadError(
        source or "<bytes>",
        "không nhận ra bảng mã (không phải UTF-8, TCVN3, VNI hay Windows-1258) / "
        "unknown text encoding (not UTF-8, TCVN3, VNI or Windows-1258)",
    )
