"""Word 97-2003 .doc loader through Debian's antiword (catdoc as the fallback): the text,
one paragraph a line, tables as "a | b | c" rows; the structure is found by the chunker."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from assistant.core.domain import Document, Section
from indexing.loaders.base import load_error, read_bytes, sniff, suffix
from indexing.loaders.freeform import freeform_document, normalise_texts

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TIMEOUT_S = 120
# Each command prints the document as UTF-8 text without wrapping lines.
_COMMANDS = (("antiword", "-w", "0", "-m", "UTF-8.txt"), ("catdoc", "-w", "-d", "utf-8"))


def _run(command: tuple[str, ...], path: Path) -> tuple[str, str]:
    """(stdout, error) of one converter; error is "" when it produced text."""
    try:
        done = subprocess.run(
            [*command, str(path)], capture_output=True, timeout=TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return "", f"{command[0]}: {exc}"
    text = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 0 or not text.strip():
        message = done.stderr.decode("utf-8", errors="replace").strip() or "no text"
        return "", f"{command[0]}: {message[:200]}"
    return text, ""


def doc_text(path: Path) -> str:
    """The text of a .doc, from the first installed converter that reads it."""
    installed = [c for c in _COMMANDS if shutil.which(c[0])]
    if not installed:
        raise load_error(
            path,
            "đọc tệp .doc cần antiword hoặc catdoc (chưa cài)",
            "reading .doc needs antiword or catdoc (not installed)",
        )
    errors = []
    for command in installed:
        text, error = _run(command, path)
        if text:
            return text
        errors.append(error)
    detail = "; ".join(errors)
    raise load_error(path, f"không đọc được tệp .doc ({detail})", f"cannot read .doc ({detail})")


class DocLoader:
    format = "doc"

    def can_load(self, path: Path) -> bool:
        return suffix(path) == ".doc" and sniff(path, 8) == OLE_MAGIC

    def load(self, path: Path) -> Iterator[Document]:
        read_bytes(path)
        (text,) = normalise_texts([doc_text(path)], path)
        text = text.replace("[pic]", "").strip()
        if not text:
            raise load_error(path, "tệp .doc không có nội dung văn bản", ".doc has no text")
        yield freeform_document(path, self.format, [Section(text=text)])
