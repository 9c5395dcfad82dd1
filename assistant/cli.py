"""The `troly` command. Settings are read here, once, and passed down to each command.

Each area registers its own sub-commands through a `register(subparsers)` function; a command
handler has the signature `handler(args: argparse.Namespace, settings: Settings) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys

from assistant.errors import TrolyError
from assistant.logs import configure_logging
from assistant.settings import load_settings

# Modules that contribute sub-commands, in the order they appear in `troly --help`.
COMMAND_MODULES = (
    "indexing.cli",
    "assistant.ask_cli",
    "connectors.cli",
    "ui.cli",
    "ui.ops_cli",
    "evals.cli",
)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="troly",
        description="Trợ lý ảo ngành Y tế — tra cứu văn bản, thủ tục hành chính, hồ sơ.",
    )
    parser.add_argument("--data-dir", help="Thư mục dữ liệu (TROLY_DATA_DIR)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="Ghi log chi tiết hơn")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    settings = load_settings(data_dir=args.data_dir)
    configure_logging(settings.log_level, args.verbose)
    try:
        return int(args.handler(args, settings) or 0)
    except TrolyError as exc:
        print(f"Lỗi / Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng / Interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
