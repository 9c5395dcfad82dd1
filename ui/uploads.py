"""Admin uploads: safe file names, allowed types checked by extension AND content, size
limits, saved atomically into `data_dir/uploads`."""

from __future__ import annotations

import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from assistant.core.errors import LoadError, TrolyError
from assistant.core.timestamps import utc_iso
from indexing.loaders.legacy_encoding import decode_bytes
from indexing.loaders.sidecar import is_sidecar, read_sidecar, sidecar_path

# extension -> check on the first bytes
ALLOWED_TYPES = {".pdf": "pdf", ".docx": "zip", ".xlsx": "zip", ".doc": "ole",
                 ".html": "text", ".htm": "text", ".txt": "text", ".md": "text", ".json": "text"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and other compound files
_NAME = re.compile(r"^[\w][\w .()\-]{0,150}$")
_CHUNK = 1 << 16


class UploadError(TrolyError):
    """An upload is refused; `status` is the HTTP status the API answers with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def safe_filename(name: str) -> str:
    """The file name itself, or UploadError for anything that could leave the upload folder."""
    name = unicodedata.normalize("NFC", name or "")
    if (
        not name
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or ".." in name
        or name.startswith(".")
        or not _NAME.match(name)
    ):
        raise UploadError(f"Tên tệp không hợp lệ: {name!r} / invalid file name: {name!r}")
    if is_sidecar(Path(name)):
        raise UploadError(f"Tên tệp dành riêng: {name} / reserved file name: {name}")
    if Path(name).suffix.lower() not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise UploadError(
            f"{name}: loại tệp không được hỗ trợ (chỉ {allowed}) / unsupported file type",
            status=415,
        )
    return name


def check_content(name: str, head: bytes) -> None:
    """Refuse a file whose bytes do not match its extension (a renamed binary, an empty file)."""
    kind = ALLOWED_TYPES[Path(name).suffix.lower()]
    ok = {
        "pdf": lambda: head.startswith(b"%PDF-"),
        "zip": lambda: head.startswith(b"PK\x03\x04"),
        "ole": lambda: head.startswith(_OLE),
        "text": lambda: _is_text(head),
    }[kind]()
    if not ok:
        raise UploadError(
            f"{name}: nội dung không khớp loại tệp / content does not match the file type",
            status=415,
        )


def _is_text(head: bytes) -> bool:
    """Text the loaders read: UTF-8, UTF-16 with a BOM, or a legacy Vietnamese encoding
    (TCVN3, VNI, Windows-1258) that converts to Unicode."""
    if not head.strip():
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decodes(head[: len(head) // 2 * 2])
    if b"\x00" in head:
        return False
    return _is_utf8_prefix(head) or _decodes(head)


def _decodes(head: bytes) -> bool:
    try:
        return bool(decode_bytes(head, "upload").strip())
    except (LoadError, UnicodeDecodeError):
        return False


def _is_utf8_prefix(head: bytes) -> bool:
    # The head may end inside a multi-byte character: drop up to 3 trailing bytes.
    for cut in range(4):
        try:
            head[: len(head) - cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def save_upload(source: BinaryIO, name: str, dest_dir: Path, max_bytes: int) -> Path:
    """Copy `source` to `dest_dir/name` (checked name, type, content, size). Replaces an earlier
    upload with the same name, which re-indexing then treats as a new version."""
    name = safe_filename(name)
    dest_dir.mkdir(parents=True, exist_ok=True)
    head = source.read(_CHUNK)
    check_content(name, head)
    fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix=".upload-")
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > max_bytes:
                    raise UploadError(
                        f"{name}: tệp lớn hơn {max_bytes // (1 << 20)} MB / file too large",
                        status=413,
                    )
                out.write(chunk)
                chunk = source.read(_CHUNK)
        target = dest_dir / name
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def store_uploads(
    files: Iterable[tuple[str, BinaryIO]], dest_dir: Path, max_bytes: int, audience: str
) -> list[Path]:
    """Save several uploads of one audience (see save_upload); returns their paths."""
    saved = []
    for name, source in files:
        path = save_upload(source, name, dest_dir, max_bytes)
        write_audience_sidecar(path, audience)
        saved.append(path)
    return saved


def write_audience_sidecar(path: Path, audience: str) -> None:
    """Record the audience next to the file, so any later re-index keeps it (a staff document
    must never become public by accident)."""
    sidecar = sidecar_path(path)
    if audience == "staff":
        sidecar.write_text(json.dumps({"audience": "staff"}), encoding="utf-8")
    else:
        sidecar.unlink(missing_ok=True)


def remove_upload(source: str, uploads_dir: Path) -> bool:
    """Delete an uploaded file (and its sidecar) if `source` lies inside the uploads folder."""
    path = Path(source.split("#", 1)[0]).resolve()
    if not path.is_relative_to(uploads_dir.resolve()):
        return False
    path.unlink(missing_ok=True)
    sidecar_path(path).unlink(missing_ok=True)
    return True


@dataclass(frozen=True)
class UploadedFile:
    name: str
    size: int
    audience: str
    indexed: bool
    modified_at: str


def _sidecar_audience(path: Path) -> str:
    """The audience the file's sidecar records: a sidecar may hold only a declared status, so
    its mere presence does not make a document internal."""
    try:
        return read_sidecar(path).get("audience", "public")
    except LoadError:
        return "staff"  # unreadable: the safe side, as a sidecar once meant internal


def _indexed_paths(sources: Iterable[str]) -> set[Path]:
    return {Path(s.split("#", 1)[0]).resolve() for s in sources}


def list_uploads(uploads_dir: Path, indexed_sources: Iterable[str]) -> list[UploadedFile]:
    """Every file in the uploads folder, with whether a document in the index came from it
    (an unreadable upload stays here with `indexed=False` until the admin deletes it)."""
    if not uploads_dir.is_dir():
        return []
    indexed = _indexed_paths(indexed_sources)
    out = []
    for path in sorted(uploads_dir.iterdir()):
        if not path.is_file() or path.name.startswith(".") or is_sidecar(path):
            continue
        stat = path.stat()
        out.append(UploadedFile(
            name=path.name, size=stat.st_size, audience=_sidecar_audience(path),
            indexed=path.resolve() in indexed,
            modified_at=utc_iso(datetime.fromtimestamp(stat.st_mtime, timezone.utc)),
        ))
    return out


def delete_unindexed_upload(name: str, uploads_dir: Path, indexed_sources: Iterable[str]) -> None:
    """Delete an upload that no document comes from; an indexed one must be deleted through
    its document (UploadError 409), an unknown name is UploadError 404."""
    name = safe_filename(name)
    path = uploads_dir / name
    if not path.is_file():
        raise UploadError(f"Không có tệp tải lên {name} / no uploaded file {name}", status=404)
    if path.resolve() in _indexed_paths(indexed_sources):
        raise UploadError(
            f"{name} đang được dùng trong chỉ mục: hãy xóa văn bản / {name} is indexed: delete "
            "its document instead", status=409)
    remove_upload(str(path), uploads_dir)
