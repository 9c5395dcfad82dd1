"""Visible text out of HTML (lxml), in document order, with line breaks where blocks end.

Pháp điển pages nest `<p>` inside `<p class='pNoiDung'>` and leave `<div>`s unclosed, so the
parser moves article bodies out of their markers. `iter_segments` therefore reads the page as
one stream: every marker paragraph (e.g. p.pDieu) opens a segment, and loose content after a
marker closes belongs to the segment kind "" (the body that follows).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree, html

from assistant.core.errors import LoadError

BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption dd div dl dt figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody tfoot thead title "
    "tr ul".split()
)
CELL_TAGS = frozenset({"td", "th"})
HIDDEN_TAGS = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "nav")
_CELL = "\x1f"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_html(text: str, source: str) -> html.HtmlElement:
    """Parse an HTML string; comments and hidden elements are removed (their tails kept)."""
    try:
        root = html.document_fromstring(_XML_DECL.sub("", text) or "<html></html>")
    except (etree.ParserError, ValueError) as exc:
        raise LoadError(source, f"HTML không đọc được / unreadable HTML: {exc}") from exc
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    return root


def remove_hidden(root: html.HtmlElement) -> None:
    etree.strip_elements(root, *HIDDEN_TAGS, with_tail=False)


def finish_text(parts: list[str]) -> str:
    """Join collected pieces; table cells on one line separated by " | "."""
    lines = []
    for line in "".join(parts).split("\n"):
        if _CELL in line:
            line = " | ".join(c.strip() for c in line.split(_CELL) if c.strip())
        lines.append(line.strip())
    return "\n".join(line for line in lines if line)


def _open(el: etree._Element, parts: list[str]) -> None:
    if el.tag in BLOCK_TAGS:
        parts.append("\n")
    elif el.tag in CELL_TAGS:
        parts.append(_CELL)
    if el.text:
        parts.append(el.text)


def _close(el: etree._Element, parts: list[str], is_root: bool) -> None:
    if el.tag in BLOCK_TAGS:
        parts.append("\n")
    if el.tail and not is_root:
        parts.append(el.tail)


def element_text(root: etree._Element) -> str:
    """The visible text of one element (and its descendants)."""
    parts: list[str] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            _open(el, parts)
        else:
            _close(el, parts, el is root)
    return finish_text(parts)


def iter_segments(
    root: etree._Element, markers: frozenset[str]
) -> Iterator[tuple[str, str, etree._Element | None]]:
    """(kind, text, marker element) in document order. `kind` is the marker paragraph's class,
    or "" for content outside any marker; text before the first marker is skipped."""
    parts: list[str] = []
    kind: str | None = None  # None until the first marker
    marker: etree._Element | None = None
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            cls = el.get("class")
            if el.tag == "p" and cls in markers:
                if kind is not None:
                    yield kind, finish_text(parts), marker
                parts, kind, marker = [], cls, el
            _open(el, parts)
            continue
        is_marker = el is marker
        if is_marker:
            parts.append("\n")
            yield kind or "", finish_text(parts), marker
            parts, kind, marker = [], "", None
        _close(el, parts, el is root or is_marker)
        if is_marker and el.tail:
            parts.append(el.tail)
    if kind is not None:
        yield kind, finish_text(parts), marker
