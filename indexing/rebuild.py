"""Re-embedding without downtime (`troly index --rebuild`): the whole library is indexed again
into `<data_dir>/rebuild/` (its own index and manifest, e.g. with a new embedding model) while
the live index keeps serving. When the build is complete a READY mark is written and the two
are switched by renaming: at once when no process holds the live index, otherwise by the next
process that opens it (`troly serve` after a restart), before it takes the index lock. A killed
build leaves the live index untouched and resumes where it stopped; a killed switch is finished
by the next start (the mark stays until both renames are done). The replaced index is kept in
`<data_dir>/previous/` until the next rebuild.

Embedded store only: with a Qdrant server, use a second collection (TROLY_COLLECTION) instead.
Here: the staging directory and the switch; the build itself is `assistant.app.rebuild`.
"""

from __future__ import annotations

import logging
import shutil

from assistant.core.errors import ConfigError
from assistant.core.settings import Settings

log = logging.getLogger(__name__)

REBUILD_DIRNAME = "rebuild"
PREVIOUS_DIRNAME = "previous"
READY_MARK = "READY"
_SHARED = ("models",)  # linked into the staging data dir, not rebuilt


def staging_settings(settings: Settings) -> Settings:
    """The settings of the index being built beside the live one."""
    staging = settings.data_dir / REBUILD_DIRNAME
    staging.mkdir(parents=True, exist_ok=True)
    for name in _SHARED:
        link, target = staging / name, settings.data_dir / name
        if target.exists() and not link.exists():
            link.symlink_to(target.resolve(), target_is_directory=True)
    return settings.model_copy(update={"data_dir": staging})


def begin(settings: Settings) -> Settings:
    """The staging settings for a new build, its READY mark cleared (embedded store only)."""
    if settings.index_on_server:
        raise ConfigError(
            "--rebuild dùng cho chỉ mục nhúng; với máy chủ Qdrant hãy dùng collection mới "
            "(TROLY_COLLECTION) / --rebuild is for the embedded index; with a Qdrant server "
            "index into a new collection (TROLY_COLLECTION)"
        )
    staged = staging_settings(settings)
    (staged.data_dir / READY_MARK).unlink(missing_ok=True)
    return staged


def mark_ready(staged: Settings) -> None:
    """The staged build is complete: it may be switched in."""
    (staged.data_dir / READY_MARK).write_text("ready\n", encoding="utf-8")


def finish_switch(settings: Settings) -> bool:
    """Put a READY rebuilt index in place of the live one (the caller holds the index lock or
    no process uses it). Idempotent: a switch killed midway is completed. True if switched."""
    data = settings.data_dir
    staging, previous = data / REBUILD_DIRNAME, data / PREVIOUS_DIRNAME
    if not (staging / READY_MARK).is_file():
        return False
    groups = [
        [settings.index_dir.name],
        _sqlite_files(settings.manifest_path.name),
        _sqlite_files(settings.stats_shares_path.name),  # the statistics follow their index
        [settings.stats_path.name],
    ]
    fresh = not (previous / READY_MARK).exists()  # not resuming a switch killed midway
    if fresh:
        shutil.rmtree(previous, ignore_errors=True)  # what the rebuild before this one replaced
        previous.mkdir()
        (previous / READY_MARK).write_text("switching\n", encoding="utf-8")
    for group in groups:
        if not (staging / group[0]).exists():
            continue  # switched before the interruption
        for name in group:  # the live index (and the manifest's WAL files) aside
            if (data / name).exists():
                (data / name).rename(previous / name)
        for name in group:
            if (staging / name).exists():
                (staging / name).rename(data / name)
    (previous / READY_MARK).unlink()
    (staging / READY_MARK).unlink()
    log.info("rebuilt index switched in", extra={"previous": str(previous)})
    return True


def _sqlite_files(name: str) -> list[str]:
    return [name, f"{name}-wal", f"{name}-shm", f"{name}-journal"]
