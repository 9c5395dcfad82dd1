"""Pre-Unicode Vietnamese encodings: TCVN3 (ABC), VNI-Windows and Windows-1258.

Old documents (and PDFs/DOCX typed with .VnTime or VNI fonts) carry these byte codes; read as
cp1252/latin-1 they look like "Céng hoµ x· héi" (TCVN3) or "Coäng hoøa xaõ hoäi" (VNI). All work
happens on "legacy text": one character per byte, bytes 0x80-0x9F as cp1252 punctuation. The
public entry points are in `assistant.core.text` (detect_legacy_encoding, convert_legacy,
ensure_unicode, decode_bytes).
"""

from __future__ import annotations

import re
import unicodedata

from assistant.core.errors import LoadError

ENCODINGS = ("tcvn3", "vni", "cp1258")

_C1 = bytes(range(0x80, 0xA0))
_C1_CP1252 = _C1.decode("cp1252", errors="replace")
_FROM_LATIN1 = {b: c for b, c in zip(_C1, _C1_CP1252) if c != "\ufffd"}
_TO_LATIN1 = {ord(c): chr(b) for b, c in _FROM_LATIN1.items()}

# TCVN3 (ABC, TCVN 5712:1993 VN3): one byte per lowercase letter; capitals with tones are drawn
# by a separate font from the same codes, so they come out lowercase (see _restore_caps).
_TCVN3_PAIRS = (
    ("¸µ¶·¹", "áàảãạ"), ("¨¾»¼½Æ", "ăắằẳẵặ"), ("©ÊÇÈÉË", "âấầẩẫậ"), ("®", "đ"),
    ("ÐÌÎÏÑ", "éèẻẽẹ"), ("ªÕÒÓÔÖ", "êếềểễệ"), ("Ý×ØÜÞ", "íìỉĩị"), ("ãßáâä", "óòỏõọ"),
    ("«èåæçé", "ôốồổỗộ"), ("¬íêëìî", "ơớờởỡợ"), ("óïñòô", "úùủũụ"), ("\xadøõö÷ù", "ưứừửữự"),
    ("ýúûüþ", "ýỳỷỹỵ"), ("¡¢§£¤¥¦", "ĂÂĐÊÔƠƯ"), ("°±²³´", "\u0300\u0309\u0303\u0301\u0323"),
)  # fmt: skip
_TCVN3 = str.maketrans("".join(a for a, _ in _TCVN3_PAIRS), "".join(b for _, b in _TCVN3_PAIRS))
_CAPS_WORD = re.compile(r"[^\W\d_]{2,}")

# VNI: base letter followed by one mark character; a few letters are single characters.
_VNI_MARKS = {
    "ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "â": "\u0302", "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309",
    "ã": "\u0302\u0303", "ä": "\u0302\u0323",
    "ê": "\u0306", "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309",
    "ü": "\u0306\u0303", "ë": "\u0306\u0323",
}  # fmt: skip
_VNI_MARKS |= {k.upper(): v for k, v in _VNI_MARKS.items()}
_VNI_LETTERS = {"ñ": "đ", "ô": "ơ", "ö": "ư", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_VNI_LETTERS |= {k.upper(): v.upper() for k, v in _VNI_LETTERS.items()}
_VNI = re.compile(
    "([aeouyAEOUYôÔöÖ])([" + "".join(_VNI_MARKS) + "])|([" + "".join(_VNI_LETTERS) + "])"
)

# Signals: characters Unicode Vietnamese text does not use, and the ones only it uses.
_VIET_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý")
_LEGACY_SIGNS = re.compile(
    "[" + "".join(c for c in map(chr, range(0xA1, 0x100)) if c not in _VIET_LATIN1) + "]"
)
_VIET_ONLY = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9]")
_TONES = set("\u0300\u0301\u0303\u0309\u0323")
_NUCLEI = (
    "iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu ai ao au ay âu ây eo êu ia iê iu oa "
    "oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê a ă â e ê i o ô ơ u ư y"
).split()
_SYLLABLE = re.compile(
    "(?:ngh|ng|gh|gi|kh|ph|th|tr|ch|nh|qu|[bcdđghklmnprstvx])?"
    f"(?:{'|'.join(_NUCLEI)})(?:ch|ng|nh|[cmnpt])?"
)
_WORD = re.compile(r"[^\W\d_]+")


def as_legacy_text(data: str | bytes) -> str:
    """Bytes as one character per byte (C1 bytes as cp1252 punctuation); text unchanged."""
    if isinstance(data, str):
        return data
    return data.decode("latin-1").translate(_FROM_LATIN1)


def _to_bytes(text: str) -> bytes:
    return text.translate(_TO_LATIN1).encode("latin-1", errors="replace")


def _restore_caps_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if any("a" <= c <= "z" for c in word) or sum(c.isupper() for c in word) < 2:
        return word
    return word.upper()  # "CéNG" -> "CỘNG": an all-caps word drawn with the capitals font


def _restore_caps(text: str) -> str:
    lines = []
    for line in text.split("\n"):
        ascii_letters = [c for c in line if c.isascii() and c.isalpha()]
        if len(ascii_letters) >= 4 and all(c.isupper() for c in ascii_letters):
            lines.append(line.upper())  # an all-caps line: "X· HéI" -> "XÃ HỘI"
        else:
            lines.append(_CAPS_WORD.sub(_restore_caps_word, line))
    return "\n".join(lines)


def _vni_sub(match: re.Match[str]) -> str:
    if match.group(3):
        return _VNI_LETTERS[match.group(3)]
    base = _VNI_LETTERS.get(match.group(1), match.group(1))
    return unicodedata.normalize("NFC", base + _VNI_MARKS[match.group(2)])


def convert(text: str, encoding: str) -> str:
    """Legacy text in `encoding` ("tcvn3", "vni", "cp1258") -> NFC Unicode."""
    if encoding == "tcvn3":
        out = _restore_caps(unicodedata.normalize("NFC", text.translate(_TCVN3)))
    elif encoding == "vni":
        out = _VNI.sub(_vni_sub, text)
    elif encoding == "cp1258":
        out = _to_bytes(text).decode("cp1258", errors="replace")
    else:
        raise ValueError(f"unknown legacy encoding: {encoding}")
    return unicodedata.normalize("NFC", out)


def _sample(text: str, size: int = 120_000) -> str:
    """Head, middle and tail of a long text (encodings are decided per file, not per line)."""
    if len(text) <= size:
        return text
    third, middle = size // 3, len(text) // 2
    return text[:third] + text[middle - third // 2 : middle + third // 2] + text[-third:]


def looks_legacy(text: str) -> bool:
    """Many characters Unicode Vietnamese never uses, and few that only it uses."""
    sample = _sample(text)
    signs = len(_LEGACY_SIGNS.findall(sample))
    return signs >= 3 and signs > 0.25 * len(_VIET_ONLY.findall(sample))


def _valid_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONES for c in decomposed) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(base) is not None


def vietnamese_score(text: str, max_words: int = 4000) -> float:
    """Share of accented words that are well-formed Vietnamese syllables (0 when none)."""
    words = [w for w in _WORD.findall(text) if not w.isascii()][:max_words]
    return sum(map(_valid_syllable, words)) / len(words) if words else 0.0


def detect(text: str, sample: int = 60_000) -> str | None:
    """The legacy encoding whose conversion reads best as Vietnamese, or None."""
    if not looks_legacy(text):
        return None
    head = text[:sample]
    baseline = vietnamese_score(head)
    scores = {enc: vietnamese_score(convert(head, enc)) for enc in ENCODINGS}
    best = max(scores, key=scores.__getitem__)
    if scores[best] >= 0.6 and scores[best] > baseline + 0.15:
        return best
    return None


# --- public entry points ---------------------------------------------------------------------


def detect_legacy_encoding(text_or_bytes: str | bytes) -> str | None:
    """"tcvn3", "vni" or "cp1258" when the input is Vietnamese in that legacy encoding (raw
    bytes, or text that was decoded as cp1252/latin-1); None for Unicode or plain ASCII."""
    return detect(as_legacy_text(text_or_bytes))


def convert_legacy(text_or_bytes: str | bytes, encoding: str) -> str:
    """Convert legacy-encoded input ("tcvn3", "vni", "cp1258") to Unicode (NFC)."""
    return convert(as_legacy_text(text_or_bytes), encoding)


def ensure_unicode(text: str, source: str = "") -> str:
    """Return `text`, converted when it is TCVN3/VNI/cp1258 mojibake. Raise LoadError when it
    looks like a legacy encoding that none of the converters turns into Vietnamese."""
    if not looks_legacy(text):
        return text
    encoding = detect(text)
    if encoding is None:
        raise LoadError(
            source or "<text>",
            "văn bản dùng bảng mã cũ (TCVN3/VNI?) không chuyển đổi được sang Unicode / "
            "text is in a legacy Vietnamese encoding that could not be converted",
        )
    return convert(text, encoding)


def decode_bytes(data: bytes, source: str = "") -> str:
    """Decode a text file's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or a legacy
    Vietnamese byte encoding. Raises LoadError rather than returning garbage."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ensure_unicode(data.decode("utf-16"), source)
    try:
        return ensure_unicode(data.decode("utf-8-sig"), source)
    except UnicodeDecodeError:
        pass
    text = as_legacy_text(data)
    encoding = detect(text)
    if encoding is not None:
        return convert(text, encoding)
    if not looks_legacy(text):
        return text  # ASCII with a few Western symbols: nothing Vietnamese to lose
    raise LoadError(
        source or "<bytes>",
        "không nhận ra bảng mã (không phải UTF-8, TCVN3, VNI hay Windows-1258) / "
        "unknown text encoding (not UTF-8, TCVN3, VNI or Windows-1258)",
    )
