"""PDF loader (pypdf): one section per page with text, page numbers kept. Pages without a text
layer are read by OCR (`indexing.loaders.ocr`); a page OCR cannot read, or every scanned page
when OCR is not installed, is reported in the document's warnings, never dropped silently."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from assistant.core.domain import Document, Section
from indexing.loaders.base import load_error, sniff, suffix, translate_errors
from indexing.loaders.freeform import freeform_document, normalise_texts
from indexing.loaders.ocr import OcrPage, PageReader, TesseractReader, document_confidence
from indexing.loaders.pdf_cleanup import clean_pdf_pages
from indexing.loaders.pdf_tables import may_have_table, table_pages

log = logging.getLogger(__name__)
_TOOL_TITLE = re.compile(r"^(microsoft word\s*-|untitled\b)|\.(docx?|pdf|rtf)$", re.IGNORECASE)


def metadata_title(reader: PdfReader) -> str:
    """The PDF's /Title unless it is a tool's placeholder ("Microsoft Word - tt46.doc")."""
    title = " ".join(str((reader.metadata or {}).get("/Title") or "").split())
    return "" if _TOOL_TITLE.search(title) else title


# A scanned page often carries a little real text: a digital-signature stamp, a page number, a
# header added by the scanner. Below this many letters, a page holding an image is read by OCR.
MIN_LAYER_LETTERS = 80


def _has_image(page: PageObject) -> bool:
    try:
        xobjects = (page.get("/Resources") or {}).get("/XObject") or {}
        return any(
            xobjects[name].get_object().get("/Subtype") == "/Image" for name in xobjects
        )
    except Exception:  # unreadable resources: treat as no image, keep the text layer
        return False


def needs_ocr(page: PageObject, text: str) -> bool:
    """No text layer at all, or only a few words of it on a page that holds an image."""
    letters = sum(c.isalpha() for c in text)
    return letters == 0 or (letters < MIN_LAYER_LETTERS and _has_image(page))


def ocr_warning(page: int, why: tuple[str, str]) -> str:
    return (
        f"trang {page}: không có lớp văn bản (ảnh quét), cần OCR nhưng {why[0]} / "
        f"page {page}: has no text layer (scanned image), needs OCR but {why[1]}"
    )


def unreadable_warning(page: int, ocr: OcrPage) -> str:
    return (
        f"trang {page}: OCR không đọc được (độ tin cậy {ocr.confidence:.0%}, {ocr.letters} chữ "
        f"cái), trang bị bỏ qua / page {page}: OCR could not read it (confidence "
        f"{ocr.confidence:.0%}, {ocr.letters} letters), page left out"
    )


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise load_error(
                path,
                "PDF được bảo vệ bằng mật khẩu, không đọc được",
                "PDF is password-protected and cannot be read",
            )
        _ = len(reader.pages)  # corrupt page trees fail here rather than mid-load
        return reader
    except DependencyError as exc:
        raise load_error(
            path,
            f"PDF được mã hóa theo cách cần thư viện bổ sung ({exc})",
            f"PDF encryption needs an extra library ({exc})",
        ) from exc
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise load_error(
            path, f"PDF hỏng hoặc không hợp lệ ({exc})", f"corrupt or invalid PDF ({exc})"
        ) from exc


def _page_texts(reader: PdfReader, path: Path, warnings: list[str]) -> list[str]:
    texts = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:  # one unreadable page must not lose the others
            log.warning("page extraction failed", extra={"path": str(path), "page": number})
            warnings.append(
                f"trang {number}: không trích được văn bản ({exc}) / "
                f"page {number}: text extraction failed ({exc})"
            )
            texts.append("")
    return texts


class PdfLoader:
    format = "pdf"

    def __init__(self, ocr: PageReader | None = None) -> None:
        self.ocr = ocr or TesseractReader()

    def can_load(self, path: Path) -> bool:
        return suffix(path) == ".pdf" or sniff(path, 5) == b"%PDF-"

    def load(self, path: Path) -> Iterator[Document]:
        reader = _open(path)
        warnings: list[str] = []
        with translate_errors(path, "không đọc được PDF", "cannot read PDF"):
            raw = _page_texts(reader, path, warnings)
            title_hint = metadata_title(reader)
        self._read_tables(path, reader, raw)
        scanned = [
            n for n, (page, text) in enumerate(zip(reader.pages, raw), start=1)
            if needs_ocr(page, text)
        ]  # fmt: skip
        ocr = self._read_scanned(path, scanned, len(raw), warnings)
        for number, page in ocr.items():
            raw[number - 1] = page.text if page.readable else ""
        pages = clean_pdf_pages(normalise_texts(raw, path))
        sections = [
            Section(text=text, page=number) for number, text in enumerate(pages, start=1) if text
        ]
        if not sections:
            raise load_error(
                path,
                "OCR không đọc được trang nào của PDF ảnh quét",
                "OCR could not read any page of the scanned PDF",
            )
        metadata: dict[str, object] = {"pages": len(pages)}
        if ocr:
            metadata["ocr_pages"] = sorted(ocr)
            metadata["ocr_confidence"] = document_confidence(
                {n: p for n, p in ocr.items() if p.readable}
            )
        yield freeform_document(
            path,
            self.format,
            sections,
            title_hint=title_hint,
            warnings=sorted(warnings, key=_page_of),
            metadata=metadata,
        )

    @staticmethod
    def _read_tables(path: Path, reader: PdfReader, raw: list[str]) -> None:
        """Pages with ruled tables get their text rebuilt with the tables as rows."""
        candidates = [
            n for n, page in enumerate(reader.pages, start=1)
            if raw[n - 1].strip() and may_have_table(page)
        ]  # fmt: skip
        if not candidates:
            return
        try:
            for number, text in table_pages(path, candidates).items():
                raw[number - 1] = text
        except Exception:  # tables are a refinement: the plain text of the page stays
            log.warning("PDF table extraction failed", exc_info=True, extra={"path": str(path)})

    def _read_scanned(
        self, path: Path, scanned: list[int], total: int, warnings: list[str]
    ) -> dict[int, OcrPage]:
        """OCR of the pages without a text layer; unreadable pages become warnings."""
        if not scanned:
            return {}
        why = self.ocr.missing()
        if why is not None:
            if len(scanned) == total:
                raise load_error(
                    path,
                    f"PDF không có lớp văn bản (ảnh quét), cần OCR nhưng {why[0]}",
                    f"PDF has no text layer (scanned images), needs OCR but {why[1]}",
                )
            warnings.extend(ocr_warning(n, why) for n in scanned)
            return {}
        with translate_errors(path, "OCR thất bại", "OCR failed"):
            pages = self.ocr.read_pages(path, scanned)
        for number in scanned:
            page = pages.setdefault(number, OcrPage("", 0.0))
            if not page.readable:
                log.warning("OCR page unreadable", extra={"path": str(path), "page": number})
                warnings.append(unreadable_warning(number, page))
        return pages


def _page_of(warning: str) -> int:
    head = warning.split(":", 1)[0].split()
    return int(head[1]) if len(head) == 2 and head[1].isdigit() else 0
