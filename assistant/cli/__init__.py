"""The `troly` command. Settings are read here, once, and passed down to each command.

Each area registers its own sub-commands through a `register(subparsers)` function; a command
handler has the signature `handler(args: argparse.Namespace, settings: Settings) -> int`. The
CLI sits on top of every layer: `index`, `ask` and `dossier` here build troly through
`assistant.app`; `ui.cli`, `ui.ops_cli` and `evals.cli` bring the server, operations and
evaluation commands.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import sys

from assistant.core.errors import TrolyError
from assistant.core.logs import configure_logging
from assistant.core.settings import load_settings
from evals import cli as evals_cli
from ui import cli as ui_cli
from ui import ops_cli

from . import ask, dossier, index

# Modules that contribute sub-commands, in the order they appear in `troly --help`.
COMMAND_MODULES = (index, ask, dossier, ui_cli, ops_cli, evals_cli)

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="troly",
        description="Trợ lý ảo ngành Y tế — tra cứu văn bản, thủ tục hành chính, hồ sơ.",
    )
    parser.add_argument("--data-dir", help="Thư mục dữ liệu (TROLY_DATA_DIR)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="Ghi log chi tiết hơn")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def quiet_progress_bars() -> None:
    """No library progress bars (model loading, downloads) in a log that is not a terminal."""
    if not sys.stderr.isatty():
        os.environ.setdefault("TQDM_DISABLE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def error_json(exc: TrolyError) -> dict[str, str]:
    """The API's error body ({"error": code, "message": ...}) for a CLI error."""
    code = re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__.removesuffix("Error")).lower()
    return {"error": code or "error", "message": str(exc)}


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    quiet_progress_bars()
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
        if getattr(args, "json", None) is True:  # `--json` output stays JSON, errors included
            print(json.dumps(error_json(exc), ensure_ascii=False))
        else:
            print(f"Lỗi / Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng / Interrupted", file=sys.stderr)
        return 130

