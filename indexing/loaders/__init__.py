"""Loaders: files -> `Document`s with normalised text and metadata.

`load_path(path)` picks the loader (`detect_format`), applies the optional `<file>.meta.json`
sidecar and the audience, and turns every failure into a `LoadError(path, reason)` with a
bilingual reason. `iter_files` expands files, folders (recursive) and globs.
"""

from __future__ import annotations

import glob
import html
import re
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from assistant.core.domain import Document, FailedFile
from assistant.core.errors import LoadError
from assistant.core.interfaces import DocumentLoader
from indexing.loaders.alqac import AlqacLoader
from indexing.loaders.base import load_error, suffix, translate_errors
from indexing.loaders.legacy_word import DocLoader
from indexing.loaders.pdf import PdfLoader
from indexing.loaders.phapdien import PhapDienLoader
from indexing.loaders.plaintext import TEXT_SUFFIXES, TextLoader
from indexing.loaders.spreadsheet import XLSX_SUFFIXES, XlsxLoader
from indexing.loaders.sidecar import (
    apply_sidecar,
    check_audience,
    is_sidecar,
    read_sidecar,
    sidecar_path,
)
from indexing.loaders.tthc import TthcLoader
from indexing.loaders.webpage import HTML_SUFFIXES, HtmlLoader
from indexing.loaders.word import DocxLoader

__all__ = [
    "FORMATS", "LOADERS", "detect_format", "get_loader", "iter_files", "load_all", "load_path",
    "sidecar_path",
]  # fmt: skip

log = logging.getLogger(__name__)

# Order matters: the specific formats sniff their markup before the generic ones claim the suffix.
LOADERS: tuple[DocumentLoader, ...] = (
    PhapDienLoader(), TthcLoader(), AlqacLoader(), PdfLoader(), DocxLoader(), DocLoader(),
    XlsxLoader(), HtmlLoader(), TextLoader(),
)  # fmt: skip
FORMATS = tuple(loader.format for loader in LOADERS)
SUFFIXES = frozenset(
    {".pdf", ".docx", ".doc", ".json", *XLSX_SUFFIXES, *HTML_SUFFIXES, *TEXT_SUFFIXES}
)


def get_loader(fmt: str, path: Path | str | None = None) -> DocumentLoader:
    """The loader for a format name; LoadError (naming `path` when given) if there is none."""
    for loader in LOADERS:
        if loader.format == fmt:
            return loader
    raise load_error(
        path if path is not None else fmt,
        f"định dạng '{fmt}' không hỗ trợ (chỉ {', '.join(FORMATS)})",
        f"unsupported format '{fmt}' (expected one of {', '.join(FORMATS)})",
    )


def detect_format(path: Path | str) -> str:
    """"pdf", "docx", "doc", "xlsx", "html", "text", "phapdien", "tthc" or "alqac"; LoadError
    otherwise."""
    path = Path(path)
    if not path.is_file():
        raise load_error(path, "không tìm thấy tệp", "file not found")
    for loader in LOADERS:
        if loader.can_load(path):
            return loader.format
    if suffix(path) == ".doc":
        raise load_error(
            path,
            "tệp .doc không phải Word 97-2003, hãy lưu lại thành .docx",
            "this .doc is not a Word 97-2003 file, save it as .docx",
        )
    if suffix(path) == ".json":
        raise load_error(
            path,
            "JSON không phải bản ghi TTHC hay kho luật ALQAC",
            "JSON is neither a TTHC record nor an ALQAC law corpus",
        )
    kind = suffix(path) or path.name
    raise load_error(path, f"định dạng '{kind}' không hỗ trợ", f"unsupported format '{kind}'")


def load_path(
    path: Path | str, fmt: str | None = None, audience: str | None = None
) -> Iterator[Document]:
    """Documents of one file. Audience: the sidecar's, else `audience`, else "public"."""
    path = Path(path)
    if audience is not None:
        check_audience(audience, path)
    from indexing.validity.document import read_validity  # imports loaders.header: not at top

    loader = get_loader(fmt or detect_format(path), path)
    meta = read_sidecar(path)
    with translate_errors(path, "lỗi khi đọc tệp", "failed to read file"):
        for document in loader.load(path):
            document.audience = audience or document.audience  # type: ignore[assignment]
            document = read_validity(apply_sidecar(document, meta), meta)
            document.title = plain_title(document.title)
            yield document


# What an HTML parser would open as a tag: '<' then a letter, '/', '!' or '?'. A lone '<'
# ("trẻ em < 6 tuổi") is text and stays.
_TAG = re.compile(r"<[/!?A-Za-z][^>]*>?")


def plain_title(title: str) -> str:
    """A title without markup: entities decoded, then every tag (or tag-like fragment)
    removed, so a page that shows titles with innerHTML renders text only (issue 12)."""
    if "<" not in title and "&" not in title:
        return title
    text = _TAG.sub(" ", html.unescape(_TAG.sub(" ", title)))
    return " ".join(text.split())


# Provenance notes that sit beside data files; indexed only when named explicitly.
PROVENANCE_NAMES = frozenset({"readme.md", "source.md", "license", "license.md", "license.txt"})


def _wanted(path: Path, root: Path | None = None) -> bool:
    parts = path.relative_to(root).parts if root else (path.name,)
    return (
        path.is_file()
        and suffix(path) in SUFFIXES
        and not is_sidecar(path)
        and path.name.lower() not in PROVENANCE_NAMES
        and not any(p.startswith(".") for p in parts)
    )


def iter_files(paths: Iterable[Path | str]) -> list[Path]:
    """Files named, found under folders (recursively) or matched by globs ("**" allowed);
    folders and globs keep supported formats only, skip hidden files, `.meta.json` and
    provenance notes (README.md, SOURCE.md, LICENSE)."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found += sorted(f for f in path.rglob("*") if _wanted(f, path))
        elif path.is_file():
            if not is_sidecar(path):
                found.append(path)
        elif glob.has_magic(str(raw)):
            matched: list[Path] = []
            for match in map(Path, sorted(glob.glob(str(path), recursive=True))):
                if match.is_dir():
                    matched += sorted(f for f in match.rglob("*") if _wanted(f, match))
                elif _wanted(match):
                    matched.append(match)
            if not matched:
                log.warning("glob matched no file", extra={"pattern": str(raw)})
            found += matched
        else:
            raise load_error(raw, "không tìm thấy tệp hoặc thư mục", "no such file or folder")
    return list(dict.fromkeys(found))


def load_all(
    paths: Iterable[Path | str], fmt: str | None = None, audience: str | None = None
) -> tuple[list[Document], list[FailedFile]]:
    """Every document under `paths`; a bad file becomes a FailedFile, never an exception."""
    documents: list[Document] = []
    failed: list[FailedFile] = []
    for raw in paths:
        try:
            files = iter_files([raw])
        except LoadError as exc:
            failed.append(FailedFile(exc.path, exc.reason))
            continue
        for path in files:
            try:
                documents.extend(load_path(path, fmt=fmt, audience=audience))
            except LoadError as exc:
                failed.append(FailedFile(str(path), exc.reason))
    return documents, failed
