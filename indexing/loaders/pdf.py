"""PDF loader (pypdf): one section per page with text, page numbers kept; pages without a text
layer are reported as needing OCR instead of being indexed empty."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, PyPdfError

from assistant.domain import Document, Section
from indexing.loaders.base import load_error, sniff, suffix, translate_errors
from indexing.loaders.freeform import freeform_document, normalise_texts
from indexing.loaders.pdf_cleanup import clean_pdf_pages

log = logging.getLogger(__name__)
_TOOL_TITLE = re.compile(r"^(microsoft word\s*-|untitled\b)|\.(docx?|pdf|rtf)$", re.IGNORECASE)


def metadata_title(reader: PdfReader) -> str:
    """The PDF's /Title unless it is a tool's placeholder ("Microsoft Word - tt46.doc")."""
    title = " ".join(str((reader.metadata or {}).get("/Title") or "").split())
    return "" if _TOOL_TITLE.search(title) else title


def ocr_warning(page: int) -> str:
    return (
        f"trang {page}: không có lớp văn bản (ảnh quét), cần OCR / "
        f"page {page}: has no text layer (scanned image), needs OCR"
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

    def can_load(self, path: Path) -> bool:
        return suffix(path) == ".pdf" or sniff(path, 5) == b"%PDF-"

    def load(self, path: Path) -> Iterator[Document]:
        reader = _open(path)
        warnings: list[str] = []
        with translate_errors(path, "không đọc được PDF", "cannot read PDF"):
            raw = _page_texts(reader, path, warnings)
            title_hint = metadata_title(reader)
        has_layer = [any(ch.isalpha() for ch in text) for text in raw]
        if not any(has_layer):
            raise load_error(
                path,
                "PDF không có lớp văn bản (ảnh quét), cần OCR trước khi nạp",
                "PDF has no text layer (scanned images); run OCR first",
            )
        pages = clean_pdf_pages(normalise_texts(raw, path))
        sections = []
        for number, (text, layered) in enumerate(zip(pages, has_layer), start=1):
            if not layered:
                warnings.append(ocr_warning(number))
            elif text:
                sections.append(Section(text=text, page=number))
        yield freeform_document(
            path,
            self.format,
            sections,
            title_hint=title_hint,
            warnings=warnings,
            metadata={"pages": len(pages)},
        )
