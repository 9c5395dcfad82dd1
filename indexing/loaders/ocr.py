"""OCR of scanned PDF pages: pypdfium2 renders a page, Tesseract (Debian `tesseract-ocr` +
`tesseract-ocr-vie`, through pytesseract) reads it. pytesseract and pypdfium2 types stay here;
the loader sees `OcrPage`.

A page's confidence is Tesseract's word confidence averaged over the characters read (0..1);
a page with too few letters or too low a confidence counts as unreadable and is reported.
A page with ruled tables is straightened and its rules erased before Tesseract reads it, and the
words in each table's cells come out as "column: value" rows (`indexing.loaders.ruled_tables`,
`indexing.loaders.ocr_layout`).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from indexing.loaders.ocr_layout import page_text, read_words
from indexing.loaders.ruled_tables import RuledPage, find_ruled_tables
from indexing.loaders.table_grid import CellGrid

log = logging.getLogger(__name__)

OCR_LANG = "vie"
OCR_DPI = 300
MIN_LETTERS = 10  # fewer letters on a page: nothing readable (blank page, photo, stamp)
MIN_CONFIDENCE = 0.4  # below this the text is mostly noise and would pollute the index
OCR_TIMEOUT_S = 180


@dataclass(frozen=True)
class OcrPage:
    text: str  # lines in reading order (not yet normalised)
    confidence: float  # 0..1, character-weighted mean word confidence; 0.0 when nothing read
    tables: int = 0  # ruled tables found on the page, written as "column: value" rows

    @property
    def letters(self) -> int:
        return sum(ch.isalpha() for ch in self.text)

    @property
    def readable(self) -> bool:
        return self.letters >= MIN_LETTERS and self.confidence >= MIN_CONFIDENCE


class PageReader(Protocol):
    """Reads the scanned pages of one PDF (1-based page numbers)."""

    def missing(self) -> tuple[str, str] | None:
        """Why OCR cannot run on this machine, (Vietnamese, English); None when it can."""
        ...

    def read_pages(self, path: Path, pages: list[int]) -> dict[int, OcrPage]: ...


@lru_cache(maxsize=4)
def _languages(binary: str) -> frozenset[str]:
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except Exception:  # a broken install reads as "no language"
        log.debug("tesseract --list-langs failed", exc_info=True)
        return frozenset()


def data_to_page(data: dict[str, list[Any]], grids: Sequence[CellGrid] = ()) -> OcrPage:
    """Tesseract's word table (pytesseract `image_to_data(output_type=DICT)`) as lines of text,
    the words inside `grids` as table rows, and a character-weighted confidence."""
    words = read_words(data)
    chars = sum(len(w.text) for w in words)
    weighted = sum(w.conf * len(w.text) for w in words)
    return OcrPage(
        text=page_text(words, grids),
        confidence=round(weighted / chars / 100, 4) if chars else 0.0,
        tables=len(grids),
    )


def _ruled(image: Any) -> RuledPage | None:
    """The page's ruled tables; a failure only loses the table layout, never the page."""
    try:
        return find_ruled_tables(image)
    except Exception:
        log.warning("ruled table detection failed", exc_info=True)
        return None


class TesseractReader:
    """`PageReader` over the tesseract binary; `lang` must be installed ("vie"). `tables=False`
    reads every page as plain lines (no ruled-table recovery)."""

    def __init__(self, lang: str = OCR_LANG, dpi: int = OCR_DPI, tables: bool = True) -> None:
        self.lang = lang
        self.dpi = dpi
        self.tables = tables

    def missing(self) -> tuple[str, str] | None:
        binary = shutil.which("tesseract")
        if binary is None:
            return (
                "máy chưa cài Tesseract (gói tesseract-ocr)",
                "Tesseract is not installed (package tesseract-ocr)",
            )
        if self.lang not in _languages(binary):
            return (
                f"Tesseract thiếu gói ngôn ngữ '{self.lang}' (tesseract-ocr-{self.lang})",
                f"Tesseract lacks the '{self.lang}' language (tesseract-ocr-{self.lang})",
            )
        return None

    def read_image(self, image: Any) -> OcrPage:
        import pytesseract

        ruled = _ruled(image) if self.tables else None
        data = pytesseract.image_to_data(
            ruled.image if ruled else image,
            lang=self.lang,
            config="--psm 3",
            output_type=pytesseract.Output.DICT,
            timeout=OCR_TIMEOUT_S,
        )
        return data_to_page(data, ruled.grids if ruled else ())

    def read_pages(self, path: Path, pages: list[int]) -> dict[int, OcrPage]:
        import pypdfium2

        out: dict[int, OcrPage] = {}
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            for number in pages:
                page = pdf[number - 1]
                try:
                    bitmap = page.render(scale=self.dpi / 72, grayscale=True)
                    out[number] = self.read_image(bitmap.to_pil())
                finally:
                    page.close()
        finally:
            pdf.close()
        return out


def document_confidence(pages: dict[int, OcrPage]) -> float | None:
    """The document's OCR confidence: page confidences weighted by letters (None: no OCR)."""
    if not pages:
        return None
    letters = sum(p.letters for p in pages.values())
    if not letters:
        return 0.0
    return round(sum(p.confidence * p.letters for p in pages.values()) / letters, 4)
