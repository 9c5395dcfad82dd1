"""The header of a Vietnamese legal/administrative document: number ("Số: 46/2018/TT-BYT"), type
("THÔNG TƯ"), subject line(s), issue date ("Hà Nội, ngày 28 tháng 12 năm 2018"), issuer (from
the number's agency code). Used by the free-form loaders on the first page."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.core.domain import LegalSource
from assistant.core.legal_dates import iso_date
from assistant.core.legal_numbers import DOCUMENT_TYPES, HEADER_NUMBER, infer_from_number

_TYPE_BY_UPPER = {t.upper(): t for t in DOCUMENT_TYPES}
_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_MARK = re.compile(r"^#{1,6}\s+")  # heading marks written by the DOCX loader
_STOP = re.compile(
    r"^(Căn cứ|Theo đề nghị|Xét|Điều\s|Chương\s|Phần\s|Mục\s|Kính gửi|QUYẾT ĐỊNH:"
    r"|(?:GIÁM ĐỐC|BỘ TRƯỞNG|CHỦ TỊCH|CỤC TRƯỞNG|THỦ TRƯỞNG)\b|\()"
)
# A professional document's own title line ("HƯỚNG DẪN CHẨN ĐOÁN VÀ ĐIỀU TRỊ …").
_GENRE_TITLE = re.compile(r"^(HƯỚNG DẪN|QUY TRÌNH|PHÁC ĐỒ|TÀI LIỆU|DANH MỤC|QUY ĐỊNH|QUY CHẾ)\s+\S+\s+\S+")
TITLE_SCAN_LINES = 8


@dataclass
class HeaderInfo:
    document_number: str = ""
    document_type: str = ""
    title: str = ""
    issuer: str = ""
    issue_date: str = ""

    def legal_source(self) -> LegalSource | None:
        if not (self.document_number or self.document_type):
            return None
        return LegalSource(
            document_number=self.document_number,
            document_type=self.document_type,
            title=self.title,
            issuer=self.issuer,
            issue_date=self.issue_date,
        )


def lower_first(text: str) -> str:
    """"Quy định về X" -> "quy định về X"; acronyms ("HIV") stay."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def compose_title(doc_type: str, subject: str, number: str = "") -> str:
    subject = subject.strip().rstrip(".").strip()
    if subject and doc_type and doc_type not in ("Luật", "Bộ luật", "Pháp lệnh"):
        return f"{doc_type} {lower_first(subject)}"
    if subject:
        return f"{doc_type} {subject}".strip()
    return f"{doc_type} {number}".strip()


def _subject(lines: list[str], start: int) -> str:
    picked: list[str] = []
    for line in lines[start : start + 6]:
        if not line.strip() or _STOP.match(line.strip()):
            break
        picked.append(line.strip())
    text = " ".join(picked)
    if text.startswith("V/v"):
        text = text[3:].strip(" :")
    return text[0] + text[1:].lower() if text.isupper() else text


def detect_header(text: str, max_lines: int = 60) -> HeaderInfo:
    """Header fields found in the first `max_lines` lines of a document ("" when absent)."""
    lines = [_MARK.sub("", line) for line in text.splitlines()[:max_lines]]
    head = "\n".join(lines)
    info = HeaderInfo()
    if m := HEADER_NUMBER.search(head):
        info.document_number = m.group(1).rstrip(".,;")
        info.document_type, info.issuer = infer_from_number(info.document_number)
    if m := _DATE.search(head):
        info.issue_date = iso_date(*m.groups())
    subject = ""
    for i, line in enumerate(lines):
        key = line.strip()
        if key in _TYPE_BY_UPPER and key.isupper():
            info.document_type = _TYPE_BY_UPPER[key]
            subject = _subject(lines, i + 1)
            break
        if key.startswith("V/v") and not subject:
            subject = _subject(lines, i)
    if subject or info.document_type:
        info.title = compose_title(info.document_type, subject, info.document_number)
    else:
        info.title = genre_title(lines[:TITLE_SCAN_LINES])
    return info


def genre_title(lines: list[str]) -> str:
    """"Hướng dẫn chẩn đoán và điều trị bệnh …" from an upper-case title line (and the upper-case
    lines continuing it) near the top of a guideline or procedure; "" when there is none."""
    for i, line in enumerate(lines):
        if _GENRE_TITLE.match(line.strip()) and line.strip().isupper():
            picked = [line.strip()]
            for more in lines[i + 1 : i + 3]:
                if not more.strip().isupper() or _STOP.match(more.strip()):
                    break
                picked.append(more.strip())
            text = " ".join(picked)
            return text[0] + text[1:].lower()
    return ""
