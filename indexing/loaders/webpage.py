"""Generic HTML loader: the page's visible text as one section, its <title> (or first <h1>)."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path

from assistant.core.domain import Document, Section
from indexing.loaders.base import load_error, read_bytes, suffix
from indexing.loaders.freeform import freeform_document, normalise_texts
from indexing.loaders.html_text import element_text, parse_html, remove_hidden
from indexing.loaders.legacy_encoding import decode_bytes

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes, source: str) -> str:
    """Bytes -> text using the BOM, then the declared <meta charset>, then UTF-8 or a legacy
    Vietnamese encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: guess instead
    return decode_bytes(data, source)


def _title(root: object) -> str:
    for xpath in ("//title", "//h1"):
        found = root.xpath(xpath)  # type: ignore[attr-defined]
        if found:
            text = " ".join(element_text(found[0]).split())
            if text:
                return text
    return ""


class HtmlLoader:
    format = "html"

    def can_load(self, path: Path) -> bool:
        return suffix(path) in HTML_SUFFIXES

    def load(self, path: Path) -> Iterator[Document]:
        root = parse_html(decode_html(read_bytes(path), str(path)), str(path))
        title = _title(root)
        remove_hidden(root)
        body = root.find("body")
        visible = element_text(body if body is not None else root)
        title_text, text = normalise_texts([title, visible], path)
        if not text:
            raise load_error(path, "trang HTML không có nội dung văn bản", "HTML page has no text")
        yield freeform_document(path, self.format, [Section(text=text)], title_hint=title_text)
