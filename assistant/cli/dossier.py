"""`troly dossier CODE --verify XXXX [--json]` and `troly onestop-demo [--port]`."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date

from assistant.core.domain import DossierLookupResult
from assistant.core.settings import Settings


def _demo_epilog() -> str:
    from connectors.reference.demo import demo_dossiers, demo_table

    return (
        "Khi chưa cấu hình hệ thống một cửa thật (TROLY_IGATE_BASE_URL), lệnh dùng dịch vụ "
        "tham chiếu với dữ liệu demo. Hồ sơ demo hôm nay:\n"
        + demo_table(demo_dossiers(date.today()))
    )


def register(subparsers: argparse._SubParsersAction) -> None:
    dossier = subparsers.add_parser(
        "dossier",
        help="Tra cứu tình trạng hồ sơ theo mã hồ sơ",
        description="Tra cứu tình trạng hồ sơ (cần mã hồ sơ và thông tin xác minh).",
        epilog=_demo_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    dossier.add_argument("code", nargs="+", help="Mã hồ sơ, ví dụ 000.00.21.H21-251120-0001")
    dossier.add_argument(
        "--verify", required=True, metavar="XXXX",
        help="4 số cuối số điện thoại (hoặc CCCD khi TROLY_VERIFICATION_FACTOR=id_last4)",
    )
    dossier.add_argument("--json", action="store_true", help="In kết quả dạng JSON")
    dossier.add_argument("--client-id", default="cli", help=argparse.SUPPRESS)
    dossier.set_defaults(handler=run_dossier)

    demo = subparsers.add_parser(
        "onestop-demo",
        help="Chạy dịch vụ một cửa tham chiếu (API kiểu iGate, dữ liệu demo)",
        description="Chạy dịch vụ một cửa tham chiếu ở tiền cảnh (Ctrl+C để dừng): token kiểu "
        "Keycloak và tra cứu hồ sơ kiểu iGate, dữ liệu hồ sơ y tế sinh ngẫu nhiên có định.",
        epilog=_demo_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    demo.add_argument("--port", type=int, default=8090, help="Cổng (mặc định 8090)")
    demo.add_argument("--host", default="127.0.0.1", help="Địa chỉ lắng nghe (mặc định loopback)")
    demo.add_argument("--db", default=None, help="Tệp SQLite (mặc định: trong bộ nhớ)")
    demo.set_defaults(handler=run_onestop_demo)


def _print_result(result: DossierLookupResult, as_json: bool) -> None:
    if as_json:
        payload = {
            "outcome": result.outcome,
            "message": result.message,
            "status": asdict(result.status) if result.status else None,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(result.message)


def run_dossier(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.app.dossier import build_dossier_service, onestop_configured

    code = " ".join(args.code)
    if onestop_configured(settings):
        service = build_dossier_service(settings)
        try:
            result = service.lookup(code, args.verify, args.client_id)
        finally:
            service.connector.close()
    else:
        from connectors.reference.server import start_reference_server

        print("(Dịch vụ một cửa tham chiếu — dữ liệu demo)", file=sys.stderr)
        with start_reference_server() as reference:
            service = build_dossier_service(settings, reference.url)
            try:
                result = service.lookup(code, args.verify, args.client_id)
            finally:
                service.connector.close()
    _print_result(result, args.json)
    return 0 if result.outcome == "ok" else 1


def run_onestop_demo(args: argparse.Namespace, settings: Settings) -> int:
    from pathlib import Path

    from connectors.reference.__main__ import serve_foreground

    return serve_foreground(args.host, args.port, Path(args.db) if args.db else None)
