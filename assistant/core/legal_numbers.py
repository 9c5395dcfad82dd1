"""Vietnamese legal document numbers ("46/2018/TT-BYT", "105/2016/QH13", "DEMO-02/2025/HD-SYT"):
the shapes they are written in (running text, a header's "Số: …", a table cell, a folded
question), the key under which two spellings of one number match, and what a number's codes say
(document type, issuer). Article references ("Điều 5, khoản 2 Điều 7") live here too."""

from __future__ import annotations

import re

from assistant.core.text import fold_accents

# An optional letter prefix ("DEMO-"), the serial, an optional year, then the type/agency codes.
NUMBER = re.compile(
    r"(?<![\w/])(?:[A-ZĐ]{2,8}-)?\d{1,5}[a-z]?/(?:(?:19|20)\d{2}/)?[A-ZĐ][A-Za-zĐđ0-9]*"
    r"(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*"
)
# The same numbers in other places. After "Số:" in a document header (trailing punctuation is
# stripped by the caller); in a table cell or title of the TTHC export (ends on a letter or
# digit); in a question folded to upper-case ASCII ("ND-CP" for "NĐ-CP"), with the older
# "123-CP/..." shape too (callers keep only matches with a "/").
_SERIAL_THEN_CODE = r"\d+[\w.]*/(?:\d{4}/)?[A-ZĐ]"
HEADER_NUMBER = re.compile(rf"(?i:\bsố)\s*[:.]?\s*({_SERIAL_THEN_CODE}[\w\-./Đđ]*)")
FIELD_NUMBER = re.compile(rf"{_SERIAL_THEN_CODE}[\wĐđ\-/]*[\wĐđ]")
FOLDED_NUMBER = re.compile(
    r"\b\d{1,4}(?:/\d{4})?/[A-Z]{1,8}\d{0,2}(?:-[A-Z0-9]{1,10})*\b"
    r"|\b\d{1,4}-[A-Z]{2,6}/[A-Z]{2,8}\d{0,2}\b"
)
ARTICLE = re.compile(r"\bĐiều\s+(\d+[a-zđ]?)\b")
_ARTICLE_LIST = re.compile(r"\b(?:các\s+)?Điều\s+(\d+[a-zđ]?(?:\s*(?:,|và)\s*(?:Điều\s+)?\d+[a-zđ]?)*)")
_LEADING_ZEROS = re.compile(r"(?<![\d])0+(?=\d)")


def number_key(number: str) -> str:
    """"08/2020/TT-BYT", "8/2020/tt-byt" and "8/2020/TT-BYT." share one key."""
    text = fold_accents(number.strip().rstrip(".,;:)")).upper().replace(" ", "")
    return _LEADING_ZEROS.sub("", text)


def find_numbers(text: str) -> list[str]:
    """Document numbers in the order they appear (each once)."""
    return list(dict.fromkeys(m.group(0).rstrip(".-") for m in NUMBER.finditer(text)))


PART = " (một phần)"  # marks an article of which only a khoản / điểm is named
_CLAUSE_BEFORE = re.compile(r"\b(?:khoản|điểm)\s+[\w]+(?:\s*(?:,|và)\s*[\w]+)*\s+(?:của\s+)?$", re.IGNORECASE)


def find_articles(text: str) -> list[str]:
    """"Điều 22", "khoản 2 Điều 5 và Điều 7", "các Điều 5, 6 và 7" -> ["Điều 22"], ["Điều 5
    (một phần)", "Điều 7"], ["Điều 5", "Điều 6", "Điều 7"]: article level, with " (một phần)"
    when only a khoản / điểm of the article is named."""
    found: list[str] = []
    for match in _ARTICLE_LIST.finditer(text):
        numbers = re.findall(r"\d+[a-zđ]?", match.group(1))
        part = PART if _CLAUSE_BEFORE.search(text[max(0, match.start() - 40) : match.start()]) else ""
        found += [f"Điều {n}{part if i == 0 else ''}" for i, n in enumerate(numbers)]
    return list(dict.fromkeys(found))


def is_partial(article: str) -> bool:
    return article.endswith(PART)


def article_key(article: str) -> str:
    """"Điều 22" / "điều 22." / "22" -> "22"."""
    match = re.search(r"\d+[a-zđ]?", article.lower())
    return match.group(0) if match else ""


# The kinds of document, as their headers name them ("THÔNG TƯ" -> "Thông tư").
DOCUMENT_TYPES = (
    "Thông tư liên tịch", "Thông tư", "Nghị định", "Nghị quyết", "Quyết định", "Bộ luật", "Luật",
    "Hiến pháp", "Pháp lệnh", "Chỉ thị", "Kế hoạch", "Hướng dẫn", "Thông báo", "Công văn",
    "Báo cáo", "Quy chế", "Quy định", "Lệnh",
)  # fmt: skip
# Those that make law (văn bản quy phạm pháp luật), the ones Pháp điển notes cite.
NORMATIVE_TYPES = (
    "Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Lệnh", "Nghị quyết", "Nghị định", "Quyết định",
    "Chỉ thị", "Thông tư liên tịch", "Thông tư",
)  # fmt: skip

# The codes after the serial: document type, then issuing agency ("TT-BYT", "NĐ-CP", "QH13").
TYPE_CODES = {
    "TTLT": "Thông tư liên tịch", "TT": "Thông tư", "NĐ": "Nghị định", "NQ": "Nghị quyết",
    "QĐ": "Quyết định", "PL": "Pháp lệnh", "CT": "Chỉ thị", "KH": "Kế hoạch", "HD": "Hướng dẫn",
    "TB": "Thông báo", "BC": "Báo cáo", "L": "Lệnh",
}  # fmt: skip
AGENCIES = {
    "QH": "Quốc hội", "UBTVQH": "Ủy ban Thường vụ Quốc hội", "CP": "Chính phủ",
    "TTg": "Thủ tướng Chính phủ", "VPCP": "Văn phòng Chính phủ", "BYT": "Bộ Y tế",
    "BTC": "Bộ Tài chính", "BCT": "Bộ Công Thương", "BCA": "Bộ Công an", "BQP": "Bộ Quốc phòng",
    "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn", "BTP": "Bộ Tư pháp", "BNV": "Bộ Nội vụ",
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội", "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "BKHĐT": "Bộ Kế hoạch và Đầu tư", "BTTTT": "Bộ Thông tin và Truyền thông",
    "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch", "BTNMT": "Bộ Tài nguyên và Môi trường",
    "BXD": "Bộ Xây dựng", "BGTVT": "Bộ Giao thông vận tải", "BKHCN": "Bộ Khoa học và Công nghệ",
    "BNG": "Bộ Ngoại giao", "BHXH": "Bảo hiểm xã hội Việt Nam", "NHNN": "Ngân hàng Nhà nước",
    "UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "SYT": "Sở Y tế",
}  # fmt: skip


def infer_from_number(number: str) -> tuple[str, str]:
    """(document type, issuer) from a number's codes: "46/2018/TT-BYT" -> Thông tư, Bộ Y tế;
    "105/2016/QH13" -> Luật, Quốc hội; ("", "") when the codes are unknown."""
    parts = [p for p in number.split("/")[1:] if not re.fullmatch(r"\d{4}", p)]
    codes = [re.sub(r"\d+$", "", c) for p in parts for c in p.split("-") if c]
    doc_type = next((TYPE_CODES[c] for c in codes if c in TYPE_CODES), "")
    issuers = list(dict.fromkeys(AGENCIES[c] for c in codes if c in AGENCIES))
    if not doc_type and codes == ["QH"]:
        doc_type = "Luật"
    return doc_type, ", ".join(issuers)
