"""First-hour fixes a new user sees: stable demo keys, a clear line when the port is taken,
"loading the index" on restart."""

from __future__ import annotations

import socket
import stat

from assistant.settings import Settings
from ui.bootstrap import demo_keys_path, ensure_keys
from ui.cli import port_in_use, port_in_use_message, starting_message
from ui.keys import KeyRing, hash_key


def test_demo_keys_stable_across_restarts_and_private(tmp_path):
    settings = Settings(data_dir=tmp_path, _env_file=None)
    first, keys = ensure_keys(settings)
    again, keys_again = ensure_keys(Settings(data_dir=tmp_path, _env_file=None))
    assert keys == keys_again and set(keys) == {"admin", "staff"}
    assert KeyRing(again.admin_key_hashes).matches(keys["admin"])
    path = demo_keys_path(settings)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_demo_keys_not_made_when_configured(tmp_path):
    settings = Settings(data_dir=tmp_path, _env_file=None, admin_key_hashes=[hash_key("a")],
                        staff_key_hashes=[hash_key("b")])
    assert ensure_keys(settings) == (settings, {})
    assert not demo_keys_path(settings).exists()


def test_port_in_use_detected_with_one_clear_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert port_in_use("127.0.0.1", port)
    assert not port_in_use("127.0.0.1", port)
    message = port_in_use_message("127.0.0.1", port)
    assert "TROLY_PORT" in message and "\n" not in message


def test_serve_refuses_a_taken_port_before_starting(tmp_path, capsys):
    from assistant.cli import build_parser

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = build_parser().parse_args(["serve", "--port", str(port)])
        settings = Settings(data_dir=tmp_path, _env_file=None, host="127.0.0.1")
        assert args.handler(args, settings) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"Cổng {port}" in err[0]


def test_restart_says_loading_the_index(tmp_path):
    settings = Settings(data_dir=tmp_path, _env_file=None)
    assert "lần đầu" in starting_message(settings)
    settings.index_dir.mkdir(parents=True)
    (settings.index_dir / "segment").write_text("x")
    assert "Đang tải chỉ mục" in starting_message(settings)
