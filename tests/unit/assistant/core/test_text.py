"""Normalisation, tone-mark placement, accent folding and legacy encodings."""

from __future__ import annotations

import unicodedata

import pytest

from assistant.core.errors import LoadError
from assistant.core.text import canonical_tone_marks, fold_accents, normalize_text
from indexing.loaders.legacy_encoding import convert_legacy, decode_bytes, detect_legacy_encoding, ensure_unicode

# Typed by hand from the TCVN3 (.VnTime) and VNI-Windows code charts, as they look when the
# bytes are read as cp1252.
TCVN3 = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc. Së Y tÕ tØnh Gia Lai"
VNI = (
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc. "
    "Sôû Y teá tænh Gia Lai"
)
UNICODE = "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Sở Y tế tỉnh Gia Lai"


def _cp1258(text: str) -> bytes:
    """Windows-1258 keeps base letters precomposed and the five tones as combining marks."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in tones)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)) + tone)
    return "".join(out).encode("cp1258")


def test_normalize_text_composes_nfd_input():
    decomposed = unicodedata.normalize("NFD", "Bảo hiểm y tế")
    assert normalize_text(decomposed) == "Bảo hiểm y tế"
    assert unicodedata.is_normalized("NFC", normalize_text(decomposed))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("hoà", "hòa"), ("uỷ", "ủy"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("HOÀ", "HÒA"),
     ("Uỷ ban", "Ủy ban"), ("Thuỵ Điển", "Thụy Điển"), ("toà án", "tòa án")],
)  # fmt: skip
def test_canonical_tone_marks_moves_tone_to_first_vowel_of_open_syllable(raw, expected):
    assert canonical_tone_marks(raw) == expected


@pytest.mark.parametrize("word", ["quý", "Quý", "QUÝ", "hoàn", "khuya", "Quỳnh", "hòa", "thuở"])
def test_canonical_tone_marks_leaves_qu_closed_and_canonical_syllables(word):
    assert canonical_tone_marks(word) == word


def test_normalize_text_drops_invisible_characters_and_collapses_spaces():
    raw = "Điề\u200bu\u00a01.\t Phạm \u00a0 vi\ufeff \r\n\n\n\n  Khoản 1 \u00ad"
    assert normalize_text(raw) == "Điều 1. Phạm vi\n\nKhoản 1"


def test_normalize_text_replaces_d_stroke_lookalikes():
    assert normalize_text("NHỮNG QUY \u00d0ỊNH CHUNG, \u00f0iều") == "NHỮNG QUY ĐỊNH CHUNG, điều"


def test_fold_accents_removes_diacritics_and_d_stroke():
    assert fold_accents("Đường dây nóng Sở Y tế") == "Duong day nong So Y te"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [(TCVN3, "tcvn3"), (VNI, "vni"), (TCVN3.encode("latin-1"), "tcvn3"),
     (VNI.encode("cp1252"), "vni"), (_cp1258(UNICODE), "cp1258")],
)  # fmt: skip
def test_detect_legacy_encoding_recognises_each_encoding(data, encoding):
    assert detect_legacy_encoding(data) == encoding
    assert normalize_text(convert_legacy(data, encoding)) == UNICODE


@pytest.mark.parametrize("text", [UNICODE, "Plain ASCII text, 100 %", "µg/ml và 37 °C là đúng"])
def test_detect_legacy_encoding_returns_none_for_unicode(text):
    assert detect_legacy_encoding(text) is None
    assert ensure_unicode(text) == text


def test_convert_legacy_tcvn3_restores_all_caps_lines():
    assert convert_legacy("CéNG HOµ X· HéI CHñ NGHÜA", "tcvn3") == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA"


def test_ensure_unicode_refuses_legacy_looking_text_it_cannot_convert():
    german = "Größe Übung Äpfel Öl süß schön fünf Maß Straße Füße " * 3
    with pytest.raises(LoadError, match="legacy"):
        ensure_unicode(german, "bai.txt")


def test_decode_bytes_reads_utf8_bom_utf16_and_legacy():
    assert decode_bytes("\ufeffSở Y tế".encode()) == "Sở Y tế"
    assert decode_bytes("Sở Y tế".encode("utf-16")) == "Sở Y tế"
    assert normalize_text(decode_bytes(VNI.encode("cp1252"))) == UNICODE


def test_fold_accents_table_matches_the_reference_definition_on_every_character():
    import unicodedata

    from assistant.core.text import fold_accents, fold_accents_reference

    every = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c <= 0xDFFF)
    assert fold_accents(every) == fold_accents_reference(every)
    nfd = unicodedata.normalize("NFD", "Điều 13. Điều kiện cấp Chứng chỉ hành nghề dược 𝐀")
    assert fold_accents(nfd) == fold_accents_reference(nfd) == "Dieu 13. Dieu kien cap Chung chi hanh nghe duoc 𝐀"


def test_fold_words_drops_accents_case_and_punctuation():
    from assistant.core.text import fold_words

    assert fold_words("Khám bệnh, chữa bệnh (KCB)!") == ["kham", "benh", "chua", "benh", "kcb"]
    assert fold_words("Đ-CP 46/2018") == ["d", "cp", "46", "2018"]
