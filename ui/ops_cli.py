"""Operations commands: `troly db upgrade|current|revision`."""

from __future__ import annotations

import argparse

from assistant.settings import Settings


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
