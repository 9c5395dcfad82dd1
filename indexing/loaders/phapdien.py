"""Bộ Pháp điển loader: one Document per đề mục file, one Section per article (`p.pDieu`).

unit_id is the Pháp điển id ("45.4.LQ.13"), path the chapter/section labels above it
(("Chương II", "HÀNH NGHỀ DƯỢC")), text the `p.pNoiDung` body, source the original document
parsed from `p.pGhiChu`, metadata the cross-references in `p.pChiDan` and the đề mục.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.core.domain import Document, Section
from indexing.loaders.base import make_doc_id, read_bytes, sniff, source_key, suffix
from indexing.loaders.html_text import element_text, iter_segments, parse_html
from indexing.loaders.phapdien_notes import NoteBook, SourceNote, parse_note
from indexing.loaders.webpage import HTML_SUFFIXES, decode_html
from assistant.core.text import normalize_text
from indexing.loaders.legacy_encoding import ensure_unicode

MARKERS = frozenset({"pChuong", "pDieu", "pGhiChu", "pNoiDung", "pChiDan"})
_ID = r"\d+(?:\.\d+)*\.[^\s.]+(?:\.\d+[a-zđ]*)+"  # "45.4.LQ.13", "2.2.LQ.7a", "45.4.NĐ.1.129a"
_HEADING = re.compile(rf"^Điều\s+(?P<id>{_ID})\.?\s*(?P<title>.*)$")
_DE_MUC = re.compile(r"Đề mục\s+(?P<number>\d+(?:\.\d+)*)\s*(?P<title>.*)", re.S)
_XREF = re.compile(r"\b\d+\.\d+\.[A-ZĐ]{1,4}(?:\.\d+[a-zđ]*)+\b")
_LEVELS = {"phần": 0, "chương": 1, "mục": 2, "tiểu mục": 3}
_LABEL = re.compile(r"^(Phần|Chương|Mục|Tiểu mục)\s+[\wĐđ]+\.?$", re.IGNORECASE)
_LABEL_WORD = re.compile(r"^(tiểu mục|phần|chương|mục)", re.IGNORECASE)


def is_phapdien(head: bytes) -> bool:
    """Pháp điển markup: p.pDieu articles, or the empty đề mục stub (its `_content` div)."""
    return b"pDieu" in head or (b"_content" in head and b"ViewDanhSachVB" in head)


@dataclass
class _Article:
    heading: str
    unit_id: str
    path: tuple[str, ...]
    anchor: str
    note: str = ""
    note_url: str = ""
    body: list[str] = field(default_factory=list)
    cross_refs: list[str] = field(default_factory=list)


class _Outline:
    """The chapter/section labels above the current article."""

    def __init__(self) -> None:
        self._entries: list[tuple[int, str, str]] = []  # (level, label, title)

    def feed(self, text: str) -> None:
        if _LABEL.match(text):
            level = _LEVELS[_LABEL_WORD.match(text).group(1).lower()]  # type: ignore[union-attr]
            self._entries = [e for e in self._entries if e[0] < level] + [(level, text, "")]
        elif self._entries:
            level, label, title = self._entries[-1]
            self._entries[-1] = (level, label, f"{title} {text}".strip())
        else:
            self._entries = [(0, "", text)]

    def path(self) -> tuple[str, ...]:
        return tuple(part for _, label, title in self._entries for part in (label, title) if part)


def _articles(root: object, de_muc: str) -> Iterator[_Article]:
    outline = _Outline()
    current: _Article | None = None
    for kind, raw, marker in iter_segments(root, MARKERS):  # type: ignore[arg-type]
        text = normalize_text(raw)
        if kind == "pChuong":
            outline.feed(" ".join(text.split()))
        elif kind == "pDieu":
            if current is not None:
                yield current
            heading = " ".join(text.split())
            match = _HEADING.match(heading)
            anchors = marker.iter("a") if marker is not None else iter(())
            anchor = next((a.get("name", "") for a in anchors), "")
            unit_id = match.group("id") if match else f"{de_muc}#{anchor or heading}"
            current = _Article(heading=heading, unit_id=unit_id, path=outline.path(), anchor=anchor)
        elif current is None:
            continue  # nothing before the first article belongs to one
        elif kind == "pGhiChu":
            current.note = " ".join(text.split())
            links = [a.get("href", "") for a in marker.iter("a")] if marker is not None else []
            current.note_url = next((h for h in links if h.startswith("http")), "")
        elif kind == "pChiDan":
            current.cross_refs.extend(r for r in _XREF.findall(text) if r not in current.cross_refs)
        elif text:  # p.pNoiDung and the loose paragraphs the parser moved out of it
            current.body.append(text)
    if current is not None:
        yield current


def _dedupe_ids(articles: list[_Article]) -> list[str]:
    """The archive reuses a few ids for two different articles: the 2nd becomes "<id>~2"."""
    seen: dict[str, int] = {}
    repeated = []
    for article in articles:
        seen[article.unit_id] = seen.get(article.unit_id, 0) + 1
        if seen[article.unit_id] > 1:
            repeated.append(article.unit_id)
            article.unit_id = f"{article.unit_id}~{seen[article.unit_id]}"
    return repeated


def _section(article: _Article, note: SourceNote | None, book: NoteBook, meta: dict) -> Section:
    metadata = dict(meta, cross_refs=article.cross_refs, anchor=article.anchor)
    metadata["phapdien_id"] = article.unit_id.split("~")[0]
    if article.note:
        metadata["source_note"] = article.note
    if article.note_url:
        metadata["source_url"] = article.note_url
    if note is not None and note.status:
        metadata["status_note"] = note.status
    return Section(
        text="\n".join(article.body),
        unit_id=article.unit_id,
        heading=article.heading,
        path=article.path,
        source=book.complete(note) if note is not None else None,
        metadata=metadata,
    )


class PhapDienLoader:
    format = "phapdien"

    def can_load(self, path: Path) -> bool:
        return suffix(path) in HTML_SUFFIXES and is_phapdien(sniff(path))

    def load(self, path: Path) -> Iterator[Document]:
        html_text = ensure_unicode(decode_html(read_bytes(path), str(path)), str(path))
        root = parse_html(html_text, str(path))
        heading = root.find(".//h3")
        match = _DE_MUC.search(normalize_text(element_text(heading)) if heading is not None else "")
        de_muc = match.group("number") if match else ""
        de_muc_title = " ".join(match.group("title").split()) if match else ""
        articles = list(_articles(root, de_muc or Path(path).stem))
        repeated = _dedupe_ids(articles)
        notes = [parse_note(a.note) if a.note else None for a in articles]
        book = NoteBook()
        for note in notes:
            book.learn(note)
        meta = {"de_muc": de_muc, "de_muc_title": de_muc_title}
        sections = [_section(a, n, book, meta) for a, n in zip(articles, notes)]
        title = f"Đề mục {de_muc} {de_muc_title}".strip() if de_muc else Path(path).stem
        warnings = [] if sections else [
            f"{title}: đề mục trống, không có điều nào / empty đề mục, no articles"
        ]
        if repeated:
            warnings.append(
                f"id Pháp điển bị trùng, điều sau được đánh số ~2: {', '.join(repeated)} / "
                f"duplicate Pháp điển ids, later articles suffixed ~2: {', '.join(repeated)}"
            )
        empty = [s.unit_id for s in sections if not s.text]
        if empty:
            warnings.append(
                f"{len(empty)} điều không có nội dung (ví dụ {empty[0]}) / "
                f"{len(empty)} articles have no body text (e.g. {empty[0]})"
            )
        yield Document(
            doc_id=make_doc_id(path),
            source=source_key(path),
            format=self.format,
            title=title,
            sections=sections,
            document_type="Bộ Pháp điển",
            metadata=dict(meta, articles=len(sections)),
            warnings=warnings,
        )
