"""`troly backup` and `troly restore`: one consistent, versioned archive of everything troly
needs to come back — the embedded index's files or a Qdrant server's points (ui.backup_server),
the manifest, the application database (a portable dump, ui.db_dump), uploaded documents, a
settings fingerprint without secrets and the embedding model's identity — with a sha256 for
every file.

Backing up while troly serves: the index, the manifest and the database (read in one snapshot)
are staged under the index writer lock (ui.shared_state), so no indexing job writes them
meanwhile. Restoring verifies the whole archive into a staging folder first; a corrupt or
truncated archive is refused with the data directory untouched. Restore needs troly stopped.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from assistant.core.errors import StoreError, TrolyError
from assistant.app.index import lock_index
from assistant.core.settings import Settings
from assistant.core.timestamps import now_iso
from indexing.embedding.checksums import sha256_file
from ui import backup_server, db_dump
from ui.database import create_db_engine
from ui.shared_state import index_lock

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
META = "troly-backup.json"
PREFIX = "troly-backup-"
SUFFIX = ".tar.gz"
LOCK_WAIT_S = 600.0
_CHUNK = 4 << 20
Progress = Callable[[int, int], None]
# Parts of the data directory an archive carries (besides the database).
INDEX, MANIFEST, UPLOADS, SQLITE_DB = "index", "manifest.sqlite", "uploads", "troly.sqlite"


class BackupError(TrolyError):
    """The archive cannot be written, or is corrupt, truncated or not a troly backup."""


@dataclass
class BackupResult:
    path: Path
    size: int
    seconds: float
    files: int
    removed: list[Path] = field(default_factory=list)


@dataclass
class RestoreResult:
    seconds: float
    documents: int
    database_rows: dict[str, int]
    moved_aside: Path | None
    warnings: list[str] = field(default_factory=list)


# --- what identifies this installation -----------------------------------------------------
def _redact_url(url: str) -> str:
    if not url:
        return ""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - not a database URL (a Qdrant URL)
        return url.split("@")[-1]


def settings_summary(settings: Settings) -> dict[str, Any]:
    """The settings that shape the index and the answers, without secrets or key hashes."""
    values = settings.model_dump(mode="json")
    secret = {name for name, info in type(settings).model_fields.items()
              if "SecretStr" in repr(info.annotation) or name.endswith("key_hashes")}
    summary = {k: v for k, v in sorted(values.items()) if k not in secret}
    summary["database_url"] = _redact_url(settings.database_url)
    summary["qdrant_url"] = _redact_url(settings.qdrant_url)
    summary.pop("data_dir", None)
    return summary


def settings_fingerprint(summary: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()


def model_identity(settings: Settings) -> dict[str, Any]:
    """The embedding model's name and the sha256 of each prepared model's checksum manifest
    (which lists every weight file's sha256)."""
    prepared = {}
    if settings.models_dir.is_dir():
        for manifest in sorted(settings.models_dir.glob("*/troly-checksums.json")):
            prepared[manifest.parent.name] = sha256_file(manifest)
    return {"embedding_model": settings.embedding_model, "prepared": prepared}


# --- backup ------------------------------------------------------------------------------
def _copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (its online backup API)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _count_documents(manifest: Path) -> int:
    if not manifest.is_file():
        return 0
    conn = sqlite3.connect(f"file:{manifest}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


def _archive_name(folder: Path) -> Path:
    """troly-backup-<UTC time to the microsecond>.tar.gz: names sort by time."""
    while True:
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
        path = folder / f"{PREFIX}{stamp}{SUFFIX}"
        if not path.exists():
            return path


def _stage_index_manifest_database(settings: Settings, engine: Any, staging: Path,
                                   progress: Progress | None) -> tuple[dict, dict]:
    """(index metadata, database dump summary), all taken under the index writer lock; with a
    Qdrant server the points are exported (ui.backup_server explains the consistency)."""
    lock = index_lock(engine)
    if not lock.acquire(LOCK_WAIT_S):
        raise BackupError("Đang lập chỉ mục quá lâu, chưa sao lưu được / indexing has held the "
                          "index for too long, backup not taken")
    try:
        if settings.index_on_server:
            active = backup_server.active_versions(settings)
            index = backup_server.export_index(settings, staging, active, progress)
        else:
            index = {"kind": f"embedded-{settings.embedded_store}",
                     "collection": settings.collection}
            if settings.index_dir.is_dir():
                shutil.copytree(settings.index_dir, staging / INDEX,
                                ignore=lambda _d, names: [n for n in names if n == ".lock"])
        if settings.manifest_path.is_file():
            _copy_sqlite(settings.manifest_path, staging / MANIFEST)
        database = db_dump.dump(engine, staging / "database")
        if settings.index_on_server:
            backup_server.check_unchanged(settings, active)
    except backup_server.ServerIndexError as exc:
        raise BackupError(f"Không sao lưu được chỉ mục Qdrant / cannot back up the Qdrant "
                          f"index: {exc}") from exc
    finally:
        lock.release()
    return index, database


def _checksums(staging: Path) -> dict[str, dict[str, Any]]:
    return {p.relative_to(staging).as_posix(): {"sha256": sha256_file(p), "size": p.stat().st_size}
            for p in sorted(staging.rglob("*")) if p.is_file()}


def create_backup(settings: Settings, to_dir: Path, keep: int = 0,
                  progress: Progress | None = None) -> BackupResult:
    """Write one archive into `to_dir` while troly may be serving; with `keep` > 0, then remove
    all but the newest `keep` archives there. `progress(done, total)` follows a Qdrant server
    index's export."""
    started = time.perf_counter()
    to_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".troly-backup-", dir=to_dir))
    engine = create_db_engine(settings.sqlalchemy_url)
    try:
        index, database = _stage_index_manifest_database(settings, engine, staging, progress)
        if (settings.data_dir / UPLOADS).is_dir():
            shutil.copytree(settings.data_dir / UPLOADS, staging / UPLOADS)
        summary = settings_summary(settings)
        meta = {
            "format": FORMAT_VERSION,
            "created_at": now_iso(),
            "troly_version": package_metadata.version("troly"),
            "index": index,
            # the manifest file, or its tables in the database dump (scale-out setup)
            "documents": (_count_documents(staging / MANIFEST)
                          or database["rows"].get("manifest_documents", 0)),
            "database": {**database, "backend": engine.dialect.name},
            "settings": summary,
            "settings_fingerprint": settings_fingerprint(summary),
            "model": model_identity(settings),
            "files": _checksums(staging),
        }
        (staging / META).write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")
        target = _archive_name(to_dir)
        partial = target.with_name(target.name + ".part")
        with tarfile.open(partial, "w:gz", compresslevel=1) as tar:
            tar.add(staging / META, arcname=META)
            for name in meta["files"]:
                tar.add(staging / name, arcname=name, recursive=False)
        os.replace(partial, target)
        target.with_name(target.name + ".sha256").write_text(
            f"{sha256_file(target)}  {target.name}\n", "utf-8")
    except OSError as exc:
        raise BackupError(f"Không ghi được bản sao lưu vào {to_dir} / cannot write the backup: "
                          f"{exc}") from exc
    finally:
        engine.dispose()
        shutil.rmtree(staging, ignore_errors=True)
    removed = apply_retention(to_dir, keep) if keep > 0 else []
    return BackupResult(target, target.stat().st_size, time.perf_counter() - started,
                        len(meta["files"]), removed)


def apply_retention(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives in `folder` (names sort by time)."""
    archives = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
        path.with_name(path.name + ".sha256").unlink(missing_ok=True)
    return removed


# --- verify and restore ------------------------------------------------------------------
def _corrupt(archive: Path, why: str) -> BackupError:
    return BackupError(
        f"{archive}: bản sao lưu hỏng hoặc không đầy đủ, dữ liệu hiện tại giữ nguyên / the "
        f"backup is corrupt or incomplete, current data left untouched: {why}")


def extract_verified(archive: Path, target: Path) -> dict[str, Any]:
    """Extract `archive` into `target` and check every file against its sha256; returns the
    archive's metadata. Raises BackupError (target may then hold a partial extraction)."""
    if not archive.is_file():
        raise BackupError(f"{archive}: không có tệp sao lưu này / no such backup file")
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.is_file() and sidecar.read_text("utf-8").split()[0] != sha256_file(archive):
        raise _corrupt(archive, f"sha256 khác {sidecar.name} / sha256 differs from {sidecar.name}")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != META:
                raise _corrupt(archive, f"không bắt đầu bằng {META} / does not start with {META}")
            meta = json.loads(tar.extractfile(first).read())  # type: ignore[union-attr]
            if meta.get("format") != FORMAT_VERSION:
                raise _corrupt(archive, f"định dạng {meta.get('format')} / format version")
            expected: dict[str, dict[str, Any]] = meta["files"]
            seen: set[str] = set()
            while (member := tar.next()) is not None:
                if member.name not in expected or not member.isfile():
                    raise _corrupt(archive, f"tệp lạ / unexpected member {member.name}")
                _extract_checked(tar, member, target / member.name, expected[member.name])
                seen.add(member.name)
    except (tarfile.TarError, EOFError, OSError, zlib.error, ValueError, KeyError) as exc:
        raise _corrupt(archive, f"{type(exc).__name__}: {exc}") from exc
    missing = sorted(set(expected) - seen)
    if missing:
        raise _corrupt(archive, f"thiếu {len(missing)} tệp / {len(missing)} files missing, "
                                f"e.g. {missing[0]}")
    return meta


def _extract_checked(tar: tarfile.TarFile, member: tarfile.TarInfo, path: Path,
                     expected: dict[str, Any]) -> None:
    source = tar.extractfile(member)
    if source is None:
        raise ValueError(f"{member.name}: not a file")
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("wb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected["sha256"]:
        raise ValueError(f"{member.name}: sai checksum / checksum mismatch")


def verify_archive(archive: Path) -> dict[str, Any]:
    """Check an archive completely (into a temporary folder); returns its metadata."""
    with tempfile.TemporaryDirectory(prefix=".troly-verify-", dir=archive.parent) as scratch:
        return extract_verified(archive, Path(scratch))


def _refuse_if_serving(settings: Settings) -> Any:
    """Hold the embedded index's process lock (the one `troly serve` holds) during a restore."""
    if not settings.index_dir.is_dir():
        return None  # nothing can be serving an index that does not exist
    try:
        return lock_index(settings.index_dir)
    except StoreError as exc:
        raise BackupError(
            f"{settings.data_dir}: troly đang chạy trên thư mục dữ liệu này; hãy dừng nó trước "
            "khi khôi phục / troly is running on this data directory; stop it before restoring"
        ) from exc


def _swap_into_place(staging: Path, data_dir: Path, parts: list[str], stamp: str) -> Path | None:
    """Move the current parts aside (with SQLite's -wal/-shm companions), then the restored
    ones in; returns the folder holding the previous parts (None when there were none)."""
    aside = data_dir / f".before-restore-{stamp}"
    moved = False
    for part in parts:
        for name in (part, f"{part}-wal", f"{part}-shm", f"{part}-journal"):
            if (data_dir / name).exists():
                aside.mkdir(parents=True, exist_ok=True)
                os.replace(data_dir / name, aside / name)
                moved = True
        if (staging / part).exists():
            os.replace(staging / part, data_dir / part)
    return aside if moved else None


def _load_database(settings: Settings, staging: Path, meta: dict[str, Any]) -> dict[str, int]:
    sqlite_in_data_dir = not settings.database_url
    url = f"sqlite:///{staging / SQLITE_DB}" if sqlite_in_data_dir else settings.sqlalchemy_url
    engine = create_db_engine(url)
    try:
        return db_dump.load(engine, staging / "database", meta["database"]["revision"])
    finally:
        engine.dispose()


def _load_index_and_database(settings: Settings, staging: Path, meta: dict[str, Any],
                             progress: Progress | None) -> dict[str, int]:
    """With a Qdrant server, the points go into TROLY_COLLECTION first (dropped again if the
    database does not load); the database is loaded in one transaction."""
    if not settings.index_on_server:
        return _load_database(settings, staging, meta)
    points = backup_server.IndexImport(settings, progress)
    try:
        points.load(staging)
        rows = _load_database(settings, staging, meta)
    except backup_server.ServerIndexError as exc:
        points.undo()
        raise BackupError(f"Không khôi phục được chỉ mục Qdrant, dữ liệu hiện tại giữ nguyên / "
                          f"cannot restore the Qdrant index, current data left untouched: "
                          f"{exc}") from exc
    except BaseException:
        points.undo()
        raise
    points.finish()
    return rows


def restore_backup(settings: Settings, archive: Path,
                   progress: Progress | None = None) -> RestoreResult:
    """Bring the data directory, the database and, with a Qdrant server, the collection back to
    `archive`. Nothing is changed until the whole archive has been verified; a server's
    collection is only written when empty (ui.backup_server)."""
    started = time.perf_counter()
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    staging = data_dir.parent / f".{data_dir.name}.restore-{stamp}"
    guard = None if settings.index_on_server else _refuse_if_serving(settings)
    try:
        meta = extract_verified(archive, staging)
        warnings = _compatibility(meta, settings)
        rows = _load_index_and_database(settings, staging, meta, progress)
        parts = ([] if settings.index_on_server else [INDEX]) + [MANIFEST, UPLOADS]
        parts += [] if settings.database_url else [SQLITE_DB]
        if guard is not None:  # the index folder (holding the lock file) is about to move
            guard.close()
            guard = None
        aside = _swap_into_place(staging, data_dir, parts, stamp)
    finally:
        if guard is not None:
            guard.close()
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(time.perf_counter() - started, int(meta.get("documents", 0)), rows,
                         aside, warnings)


def _compatibility(meta: dict[str, Any], settings: Settings) -> list[str]:
    kind = str(meta["index"]["kind"])
    if settings.index_on_server and kind != backup_server.KIND:
        raise BackupError(
            f"Bản sao lưu chứa chỉ mục nhúng ({kind}); cấu hình hiện tại dùng Qdrant server / "
            "the archive holds an embedded index but TROLY_QDRANT_URL is set")
    if not settings.index_on_server and kind == backup_server.KIND:
        raise BackupError(
            "Bản sao lưu chứa chỉ mục của Qdrant server; hãy đặt TROLY_QDRANT_URL / the archive "
            "holds a Qdrant server's index: set TROLY_QDRANT_URL to restore it")
    warnings = []
    if not settings.index_on_server and kind != f"embedded-{settings.embedded_store}":
        raise BackupError(
            f"Chỉ mục trong bản sao lưu là {kind}, cấu hình là embedded-"
            f"{settings.embedded_store} / index kind differs (TROLY_EMBEDDED_STORE)")
    here = model_identity(settings)
    if meta["model"]["embedding_model"] != here["embedding_model"]:
        raise BackupError(
            f"Mô hình nhúng khác: bản sao lưu {meta['model']['embedding_model']}, cấu hình "
            f"{here['embedding_model']} / the embedding model differs (TROLY_EMBEDDING_MODEL)")
    if here["prepared"] and meta["model"]["prepared"] != here["prepared"]:
        warnings.append("Tệp mô hình đã chuẩn bị khác với lúc sao lưu / the prepared model "
                        "files differ from the backed-up machine's")
    if meta["settings_fingerprint"] != settings_fingerprint(settings_summary(settings)):
        warnings.append("Cấu hình khác với lúc sao lưu / settings differ from the backup's")
    return warnings
