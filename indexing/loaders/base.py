"""Helpers every loader shares: document ids, bilingual LoadErrors, reading and sniffing files."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.core.errors import LoadError
from assistant.core.ids import document_id
from indexing.loaders.legacy_encoding import decode_bytes

log = logging.getLogger(__name__)


def source_key(path: Path, record: str = "") -> str:
    """The resolved path, plus "#record" for a file holding several documents."""
    key = str(Path(path).resolve())
    return f"{key}#{record}" if record else key


def make_doc_id(path: Path, record: str = "") -> str:
    return document_id(source_key(path, record))


def load_error(path: Path | str, vietnamese: str, english: str) -> LoadError:
    """A LoadError with the project's "Vietnamese / English" reason."""
    return LoadError(str(path), f"{vietnamese} / {english}")


@contextmanager
def translate_errors(path: Path, what_vi: str, what_en: str) -> Iterator[None]:
    """Turn any library error inside the block into a LoadError naming the file."""
    try:
        yield
    except LoadError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # library errors of every kind become one project error
        log.debug("loader failed", exc_info=True, extra={"path": str(path)})
        detail = f"{type(exc).__name__}: {exc}"
        raise load_error(path, f"{what_vi} ({detail})", f"{what_en} ({detail})") from exc


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise load_error(path, "không tìm thấy tệp", "file not found") from exc
    except OSError as exc:
        raise load_error(path, f"không đọc được tệp ({exc})", f"cannot read file ({exc})") from exc


def read_text(path: Path) -> str:
    """A text file as Unicode (UTF-8/16 or a legacy Vietnamese encoding, converted)."""
    return decode_bytes(read_bytes(path), str(path))


def sniff(path: Path, size: int = 65536) -> bytes:
    """The first `size` bytes ("" when the file cannot be read)."""
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return b""


def suffix(path: Path) -> str:
    return Path(path).suffix.lower()
