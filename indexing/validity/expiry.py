"""A document's own end date: "Quyết định này có hiệu lực đến hết ngày 31/12/2025", "Thông tư
này hết hiệu lực kể từ ngày 01/7/2025", "… được áp dụng đến hết ngày …", "… có hiệu lực trong
thời hạn 02 năm kể từ ngày ký".

Only when the sentence's subject is the document itself ("<loại văn bản> này"); a sentence about
another document's end ("Thông tư số … hết hiệu lực …") is a relation (indexing/validity/extract.py).
The value is the first day the document no longer applies (ISO), "" when it names none.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from assistant.core.legal_dates import DATE_PARTS as _DATE, iso_date
from assistant.core.legal_numbers import DOCUMENT_TYPES, NUMBER

_END = re.compile(
    r"(?:có\s+hiệu\s+lực(?:\s+thi\s+hành)?|(?:được\s+)?áp\s+dụng|(?:được\s+)?thực\s+hiện)[^.;\n]{0,40}?\s"
    rf"đến\s+(?:hết\s+)?ngày\s+{_DATE}"
    rf"|hết\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+(?:(?:kể\s+)?từ\s+)?ngày\s+{_DATE.replace('P<', 'P<h')}"
    r"|có\s+hiệu\s+lực(?:\s+thi\s+hành)?\s+trong\s+(?:thời\s+hạn\s+)?(?P<n>\d{1,2})\s+(?P<unit>năm|tháng)"
    r"\s+kể\s+từ\s+ngày\s+(?P<start>ký|ban\s+hành|có\s+hiệu\s+lực)",
    re.IGNORECASE,
)
_TYPES = "|".join(sorted({*DOCUMENT_TYPES, "Văn bản"}, key=len, reverse=True))
# the clause opens with the document itself: "Quyết định này …", "2. Thông tư này …"
_SUBJECT = re.compile(
    rf"^\s*(?:(?:Điều\s+\d+\.?|\d+[.)]|[a-zđ]\))\s*)?(?:{_TYPES})\s+này\b", re.IGNORECASE
)


def expiry_date(text: str, *, issue_date: str = "", effective: str = "") -> str:
    """The first day the document stops applying, by its own words ("" when it does not say)."""
    for match in _END.finditer(text):
        clause = re.split(r"[.;\n]", text[max(0, match.start() - 200) : match.start()])[-1]
        if not _SUBJECT.match(clause) or NUMBER.search(clause):
            continue
        if value := _end_of(match, issue_date, effective):
            return value
    return ""


def _end_of(match: re.Match[str], issue_date: str, effective: str) -> str:
    if match.group("d"):
        last = iso_date(match["d"], match["m"], match["y"])
        return _next_day(last) if last else ""  # "đến (hết) ngày D": D is the last day in force
    if match.group("hd"):
        return iso_date(match["hd"], match["hm"], match["hy"])
    start = effective if match["start"].lower().startswith("có") else issue_date
    if not start:
        return ""
    months = int(match["n"]) * (12 if match["unit"].lower() == "năm" else 1)
    return _add_months(date.fromisoformat(start), months).isoformat()


def _next_day(iso: str) -> str:
    try:
        return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()
    except ValueError:  # "31/02": not a date
        return ""


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=day.year + year, month=month + 1, day=d)
        except ValueError:
            continue
    raise ValueError(day)
