"""Ruled tables in PDF pages, read as tables (pdfplumber) instead of flattened text: a page with
a table is rebuilt from pdfplumber's text lines outside the tables plus each table's rows as
"column: value" lines, in reading order. pdfplumber types stay in this module."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from pypdf import PageObject

from indexing.loaders.tables import table_lines

log = logging.getLogger(__name__)

_DRAWING = re.compile(rb"\sre\s|\sl\s")  # rectangle and line operators in a content stream
MIN_RULES = 6  # fewer drawn lines/rectangles cannot make a table of two rows and two columns


def may_have_table(page: PageObject) -> bool:
    """Cheap pre-check on the page's content stream, so pdfplumber only parses candidates."""
    try:
        contents = page.get_contents()
        data = contents.get_data() if contents is not None else b""
    except Exception:  # an unreadable stream simply has no table we can find
        return False
    return len(_DRAWING.findall(data, 0, 2_000_000)) >= MIN_RULES


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    mid_x = (obj["x0"] + obj["x1"]) / 2
    mid_y = (obj["top"] + obj["bottom"]) / 2
    return x0 <= mid_x <= x1 and top <= mid_y <= bottom


def table_pages(path: Path, pages: list[int]) -> dict[int, str]:
    """{page number: text with tables as rows} for those of `pages` that hold a ruled table of
    at least two rows and two columns."""
    import pdfplumber

    out: dict[int, str] = {}
    with pdfplumber.open(str(path)) as pdf:
        for number in pages:
            page = pdf.pages[number - 1]
            tables = [
                t for t in page.find_tables()
                if len(t.rows) >= 2 and max(len(r.cells) for r in t.rows) >= 2
            ]  # fmt: skip
            if not tables:
                continue
            boxes = [t.bbox for t in tables]
            outside = page.filter(
                lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, b) for b in boxes)
            )
            placed = [(line["top"], line["text"]) for line in outside.extract_text_lines()]
            placed += [(t.bbox[1], "\n".join(table_lines(t.extract()))) for t in tables]
            out[number] = "\n".join(text for _, text in sorted(placed, key=lambda p: p[0]))
            page.close()
    return out
