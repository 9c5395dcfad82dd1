"""A sha256 manifest for a prepared model directory, written last so that its presence means
the directory was completed, and checked on reuse so a corrupt or partial copy is rebuilt."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)

CHECKSUM_FILE = "troly-checksums.json"
_CHUNK = 4 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _model_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != CHECKSUM_FILE)


def write_checksums(folder: Path, extra: dict[str, object] | None = None) -> dict[str, str]:
    """Hash every file under `folder` into CHECKSUM_FILE (with optional metadata)."""
    files = {p.relative_to(folder).as_posix(): sha256_file(p) for p in _model_files(folder)}
    payload = {"algorithm": "sha256", "files": files, **(extra or {})}
    tmp = folder / f"{CHECKSUM_FILE}.tmp"
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(folder / CHECKSUM_FILE)
    return files


def checksum_problems(folder: Path) -> list[str]:
    """Why `folder` is not a complete, intact prepared model ([] when it is)."""
    manifest = folder / CHECKSUM_FILE
    if not folder.is_dir():
        return [f"{folder}: không tồn tại / does not exist"]
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{manifest}: thiếu hoặc hỏng / missing or unreadable ({exc.__class__.__name__})"]
    if not isinstance(files, dict) or not files:
        return [f"{manifest}: danh sách tệp rỗng / empty file list"]
    problems = []
    for name, expected in sorted(files.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{path}: thiếu tệp / missing file")
        elif sha256_file(path) != expected:
            problems.append(f"{path}: sai checksum / checksum mismatch")
    return problems


def read_metadata(folder: Path) -> dict[str, object]:
    """The extra fields stored next to the checksums ({} when absent)."""
    try:
        payload = json.loads((folder / CHECKSUM_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in payload.items() if k not in ("algorithm", "files")}
