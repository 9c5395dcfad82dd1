"""`troly serve` (API + Gradio UI + widget + reference one-stop-shop) and `troly hash-key`."""

from __future__ import annotations

import argparse
import errno
import socket
import sys

from assistant.core.settings import DEMO_CORPUS_DIR, Settings
from ui.keys import hash_key


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve",
        help="Chạy trợ lý: API, giao diện web, widget (và dịch vụ một cửa mẫu)",
        description="Chạy API (/v1, /docs), giao diện Gradio (/ui), widget (/widget.js, /demo) "
        "trên máy này. Lần đầu chạy, bộ văn bản mẫu corpus/demo được lập chỉ mục.",
    )
    serve.add_argument("--host", help="Địa chỉ lắng nghe (mặc định TROLY_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="Cổng (mặc định TROLY_PORT, 8000)")
    serve.add_argument(
        "--no-index-demo", action="store_true",
        help="Không tự lập chỉ mục bộ văn bản mẫu khi chỉ mục đang trống",
    )
    serve.set_defaults(handler=serve_command)
    key = subparsers.add_parser(
        "hash-key", help="In mã băm sha256 của một khóa API (để đặt vào TROLY_ADMIN_KEY_HASHES)"
    )
    key.add_argument("key", help="Khóa API")
    key.set_defaults(handler=hash_key_command)


def hash_key_command(args: argparse.Namespace, settings: Settings) -> int:
    print(hash_key(args.key))
    return 0


def _progress(done: int, total: int, message: str) -> None:
    if not sys.stderr.isatty():  # a log file gets the summary line, not carriage returns
        return
    prefix = f"[{done}/{total}] " if done >= 0 else "      "
    print(f"\r  {prefix}{message[:70]:<70}", end="", file=sys.stderr, flush=True)


def _limit_model_threads(threads: int) -> None:
    """Concurrent chats each run on one core: intra-op threads fighting over two cores under
    load made a short query embedding take ~1.4 s instead of ~40 ms (measured here)."""
    if threads > 0:
        import torch

        torch.set_num_threads(threads)


def port_in_use(host: str, port: int) -> bool:
    """True when another program already listens on host:port (checked before the slow start)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def port_in_use_message(host: str, port: int) -> str:
    return (f"Cổng {port} trên {host} đang được chương trình khác dùng: chọn cổng khác bằng "
            f"--port hoặc TROLY_PORT (ví dụ TROLY_PORT={port + 1}) / port {port} is in use")


def starting_message(settings: Settings) -> str:
    """What `troly serve` says while it starts: a first start indexes, a restart loads."""
    index = settings.index_dir
    if index.is_dir() and any(index.iterdir()):
        return "Đang tải chỉ mục… / loading the index…"
    return "Đang khởi động troly (lần đầu: lập chỉ mục bộ văn bản mẫu)… / first start: indexing…"


def serve_command(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from ui.api import create_app
    from ui.server_options import server_options
    from ui.bootstrap import build_services, demo_keys_path, ensure_keys

    host = args.host or settings.host
    port = args.port or settings.port
    if port_in_use(host, port):
        print(port_in_use_message(host, port), file=sys.stderr)
        return 2
    _limit_model_threads(settings.serve_model_threads)
    settings = settings.model_copy(update={"embedding_threads": settings.serve_model_threads})
    settings, generated = ensure_keys(settings)
    print(starting_message(settings), file=sys.stderr)
    services = build_services(
        settings, demo_corpus=None if args.no_index_demo else DEMO_CORPUS_DIR, progress=_progress
    )
    try:
        if "demo_index" in services.notes:
            print(f"\n  Đã lập chỉ mục bộ mẫu: {services.notes['demo_index']}", file=sys.stderr)
        app = create_app(services)
        _print_banner(host, port, generated, services.notes, demo_keys_path(settings))
        uvicorn.run(app, host=host, port=port, log_level="warning",
                    **server_options(settings.trusted_proxies))
    finally:
        services.close()
    return 0


def _print_banner(host: str, port: int, keys: dict[str, str], notes: dict[str, str],
                  keys_file: object = "") -> None:
    base = f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{port}"
    print(f"\ntroly đang chạy / troly is running:\n"
          f"  Giao diện trò chuyện (cán bộ, công dân, quản trị): {base}/ui/\n"
          f"  Widget nhúng trên cổng thông tin (trang mẫu):       {base}/demo\n"
          f"  Tài liệu API (OpenAPI):                             {base}/docs\n"
          f"  Sức khỏe / số liệu:            {base}/healthz  {base}/readyz  {base}/metrics")
    for role, key in keys.items():
        label = "quản trị / admin" if role == "admin" else "cán bộ / staff"
        print(f"  Khóa {label} (bản demo): {key}")
    if keys:
        print(f"  (lưu tại {keys_file}, giữ nguyên khi khởi động lại; tạo khóa riêng trong trang "
              "Quản trị › Khóa API, hoặc troly hash-key KHÓA → TROLY_ADMIN_KEY_HASHES)")
    if "onestop" in notes:
        print(f"  Dịch vụ một cửa mẫu (chưa cấu hình iGate): {notes['onestop']}\n"
              f"  Hồ sơ mẫu để thử tra cứu:\n"
              + "\n".join("    " + line for line in notes["demo_dossiers"].splitlines()))
    print("Nhấn Ctrl+C để dừng / press Ctrl+C to stop.", flush=True)
