"""Vietnamese text normalisation, applied once at load time, and accent folding for matching
questions typed without diacritics.

`normalize_text` makes every loader's output comparable: NFC (part of the shared data is NFD),
one tone-mark placement style for the open syllables oa/oe/uy (hoà → hòa, uỷ → ủy, never qúy),
no zero-width or control characters, collapsed spaces. Legacy byte encodings (TCVN3, VNI,
Windows-1258) are repaired by `ensure_unicode` / `decode_bytes`, PDF artefacts by
`clean_pdf_pages`. Their implementations live in `indexing.loaders.legacy_encoding` and
`indexing.loaders.pdf_cleanup`, imported lazily because the loaders import this module.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from types import ModuleType

from assistant.errors import LoadError

__all__ = [
    "canonical_tone_marks",
    "clean_pdf_pages",
    "convert_legacy",
    "decode_bytes",
    "detect_legacy_encoding",
    "ensure_unicode",
    "fold_accents",
    "normalize_text",
]

_BLANKS = "\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"  # every horizontal space but " "
_SPACES = re.compile(f" *[{_BLANKS}][ {_BLANKS}]*| {{2,}}")  # only runs that need rewriting
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0e-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0c\x85\u2028\u2029]")
_LINE_EDGES = re.compile(r" ?\n ?")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Look-alikes of Đ/đ seen in the shared data ("QUY ÐỊNH" with the Icelandic eth, U+00D0).
_LOOKALIKES = str.maketrans({"\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u0256": "đ"})
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
# A word ending in o/u + a toned vowel; _move_tone keeps only oa/oe/uy (not after "q").
_OPEN_SYLLABLE = re.compile(r"([oOuU])([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?!\w)")
_FIRST_OF = {"o": "aeAE", "O": "aeAE", "u": "yY", "U": "yY"}


def _move_tone(match: re.Match[str]) -> str:
    first, toned = match.group(1), match.group(2)
    base, tone = _SPLIT[toned]
    start = match.start()
    after_q = first in "uU" and start > 0 and match.string[start - 1] in "qQ"
    if base not in _FIRST_OF[first] or after_q:
        return match.group(0)
    return _JOIN[(first, tone)] + base


def canonical_tone_marks(text: str) -> str:
    """Put the tone of an open oa/oe/uy syllable on its first vowel ("hoà" → "hòa", "thuý" →
    "thúy", "uỷ" → "ủy"); "quý" keeps its mark because "qu" is the initial. Expects NFC."""
    return _OPEN_SYLLABLE.sub(_move_tone, text)


def normalize_text(text: str) -> str:
    """NFC, canonical tone-mark placement, Đ look-alikes replaced, no invisible characters,
    collapsed whitespace (newlines kept, at most one blank line in a row)."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text)).translate(_LOOKALIKES)
    text = _SPACES.sub(" ", _LINE_BREAKS.sub("\n", canonical_tone_marks(text)))
    return _BLANK_RUNS.sub("\n\n", _LINE_EDGES.sub("\n", text)).strip()


def fold_accents_reference(text: str) -> str:
    """The definition of folding: NFD, drop non-spacing marks, đ -> d. `fold_accents` computes
    the same result with a translation table (it runs on every query and indexed text)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    # Folding is character by character (NFD decomposes each character on its own and the
    # marks it adds are all dropped), so one table over the BMP reproduces it exactly.
    table = {}
    for code in range(0x80, 0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        folded = fold_accents_reference(ch)
        if folded != ch:
            table[code] = folded
    table[ord("đ")], table[ord("Đ")] = "d", "D"
    return table


_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


def fold_accents(text: str) -> str:
    """Remove Vietnamese diacritics: 'Bảo hiểm y tế' -> 'Bao hiem y te' (đ -> d)."""
    if text.isascii():
        return text
    if _ASTRAL.search(text):
        return fold_accents_reference(text)
    return text.translate(_fold_table())  # built on first use (~60 ms), not at import


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


def clean_pdf_pages(pages: list[str]) -> list[str]:
    """PDF page texts without page numbers, running headers/footers and hyphenated breaks."""
    from indexing.loaders.pdf_cleanup import clean_pdf_pages as clean

    return clean(pages)
