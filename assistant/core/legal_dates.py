"""Dates as Vietnamese legal texts write them ("ngày 28 tháng 12 năm 2018", "01/07/2013"),
turned into the ISO form troly stores ("2018-12-28")."""

from __future__ import annotations

import re

# A Pháp điển note's "có hiệu lực thi hành kể từ ngày 01/07/2013" (day, month, year groups).
EFFECTIVE_FROM = re.compile(r"có hiệu lực thi hành kể từ ngày\s+(\d{1,2})/(\d{1,2})/(\d{4})")

# "01 tháng 7 năm 2025" / "01/7/2025" / "01-07-2025" as named groups d, m, y.
DATE_PARTS = r"(?P<d>\d{1,2})\s*(?:tháng\s*|/|-)\s*(?P<m>\d{1,2})\s*(?:năm\s*|/|-)\s*(?P<y>\d{4})"


def iso_date(day: str, month: str, year: str) -> str:
    """"2/3/2018"-style parts -> "2018-03-02" ("" when not a plausible date)."""
    d, m, y = int(day), int(month), int(year)
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= d <= 31 and 1 <= m <= 12 and y > 1900 else ""
