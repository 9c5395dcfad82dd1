"""`python -m connectors.reference --port N`: run the reference one-stop-shop service."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from connectors.reference.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REALM, demo_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m connectors.reference",
        description="Dịch vụ một cửa tham chiếu (API kiểu iGate) cho demo và kiểm thử.",
    )
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: in memory)")
    parser.add_argument("--token-ttl", type=float, default=300.0, help="Token lifetime, seconds")
    parser.add_argument("--test-hooks", action="store_true", help="Enable /__test__ fault hooks")
    args = parser.parse_args(argv)
    return serve_foreground(args.host, args.port, args.db, args.token_ttl, args.test_hooks)


def serve_foreground(
    host: str, port: int, db: Path | None, token_ttl_s: float = 300.0, test_hooks: bool = False
) -> int:
    import uvicorn

    from connectors.reference.demo import demo_dossiers
    from connectors.reference.server import build_reference_app

    ref = build_reference_app(db, token_ttl_s=token_ttl_s, test_hooks=test_hooks)
    print(f"Dịch vụ một cửa tham chiếu: http://{host}:{port}")
    print(f"Token: POST /auth/realms/{DEMO_REALM}/protocol/openid-connect/token "
          f"(client_id={DEMO_CLIENT_ID}, client_secret={DEMO_CLIENT_SECRET})")
    print("Tra cứu: GET /pa/dossier-search/dvc?code=<mã hồ sơ>")
    print(demo_table(demo_dossiers(ref.anchor)))
    sys.stdout.flush()
    uvicorn.run(ref.app, host=host, port=port, log_level="warning")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
