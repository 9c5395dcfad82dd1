"""Operations commands: `troly db upgrade|current|revision`, `troly backup`, `troly restore`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.core.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser(
        "db", help="Cơ sở dữ liệu ứng dụng: nâng cấp lược đồ, xem phiên bản",
        description="Lược đồ cơ sở dữ liệu ứng dụng (TROLY_DATABASE_URL; mặc định SQLite trong "
        "thư mục dữ liệu). `troly serve` tự nâng cấp khi khởi động.",
    )
    actions = db.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="Nâng cấp lược đồ lên phiên bản mới nhất")
    actions.add_parser("current", help="In phiên bản lược đồ hiện tại và phiên bản mới nhất")
    revision = actions.add_parser(
        "revision", help="(Nhà phát triển) Tạo tệp migration mới nối vào phiên bản mới nhất")
    revision.add_argument("-m", "--message", required=True, help="Mô tả ngắn thay đổi")
    db.set_defaults(handler=db_command)
    backup = subparsers.add_parser(
        "backup", help="Sao lưu chỉ mục, manifest, cơ sở dữ liệu, tệp tải lên (khi đang chạy)",
        description="Ghi một tệp lưu trữ nhất quán (có sha256 cho từng tệp) trong khi troly vẫn "
        "phục vụ. Dùng với cron/systemd timer và --keep để giữ N bản mới nhất.",
    )
    backup.add_argument("--to", type=Path, help="Thư mục chứa bản sao lưu "
                        "(mặc định <thư mục dữ liệu>/../backups)")
    backup.add_argument("--keep", type=int, default=0,
                        help="Chỉ giữ N bản mới nhất trong thư mục đó (0 = giữ tất cả)")
    backup.set_defaults(handler=backup_command)
    restore = subparsers.add_parser(
        "restore", help="Khôi phục từ một bản sao lưu (dừng troly trước)",
        description="Kiểm tra toàn bộ bản sao lưu rồi mới thay dữ liệu hiện tại; bản hỏng hoặc "
        "thiếu bị từ chối và dữ liệu hiện tại giữ nguyên.",
    )
    restore.add_argument("archive", type=Path, help="Tệp troly-backup-*.tar.gz")
    restore.add_argument("--check", action="store_true",
                         help="Chỉ kiểm tra bản sao lưu, không khôi phục")
    restore.set_defaults(handler=restore_command)


def db_command(args: argparse.Namespace, settings: Settings) -> int:
    from alembic import command

    from ui.database import alembic_config, create_db_engine, current_revision, heads, upgrade

    if args.db_action == "revision":
        command.revision(alembic_config(), message=args.message)
        return 0
    engine = create_db_engine(settings.sqlalchemy_url)
    try:
        if args.db_action == "upgrade":
            print(f"Lược đồ ở phiên bản / schema at revision {upgrade(engine)}")
            return 0
        with engine.connect() as conn:
            current = current_revision(conn)
        print(f"hiện tại / current: {current or '-'}   mới nhất / head: {', '.join(heads())}")
        return 0 if current in heads() else 3
    finally:
        engine.dispose()


def _points_progress(done: int, total: int) -> None:
    """A Qdrant server index's export or import, on stderr (one line, rewritten)."""
    end = "\n" if done >= total else ""
    print(f"\r  điểm / points: {done}/{total}", end=end, file=sys.stderr, flush=True)


def backup_command(args: argparse.Namespace, settings: Settings) -> int:
    from ui.backup import create_backup

    result = create_backup(settings, args.to or settings.data_dir.resolve().parent / "backups",
                           keep=args.keep, progress=_points_progress)
    print(f"Đã sao lưu / backed up: {result.path} ({result.size / 1e6:.1f} MB, "
          f"{result.files} tệp / files, {result.seconds:.1f} s)")
    for path in result.removed:
        print(f"  đã xóa bản cũ / removed old backup: {path.name}")
    return 0


def restore_command(args: argparse.Namespace, settings: Settings) -> int:
    from ui.backup import restore_backup, verify_archive

    if args.check:
        meta = verify_archive(args.archive)
        print(f"Bản sao lưu hợp lệ / backup is intact: {meta['created_at']}, "
              f"{meta['documents']} văn bản / documents, {len(meta['files'])} tệp / files")
        return 0
    result = restore_backup(settings, args.archive, progress=_points_progress)
    print(f"Đã khôi phục / restored: {result.documents} văn bản / documents, "
          f"{sum(result.database_rows.values())} dòng CSDL / database rows, "
          f"{result.seconds:.1f} s")
    if result.moved_aside:
        print(f"  Dữ liệu cũ được chuyển sang / previous data moved to: {result.moved_aside}")
    for warning in result.warnings:
        print(f"  Cảnh báo / warning: {warning}")
    return 0
