"""First-hour fixes a new user sees: stable demo keys, a clear line when the port is taken,
"loading the index" on restart."""

from __future__ import annotations

import socket
import stat

from assistant.core.settings import Settings
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


def test_api_401_in_one_language_pair(client):
    body = client.get("/v1/admin/keys").json()
    assert body["error"] == "unauthorized"
    vi, en = body["message"].split(" / ")
    assert "quản trị" in vi and "admin" not in vi
    assert "admin" in en and "quản trị" not in en


def test_openapi_declares_security_schemes(client):
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header",
                                 "name": "X-API-Key"}
    assert schemes["Bearer"]["scheme"] == "bearer"
    assert schema["paths"]["/v1/admin/analytics"]["get"]["security"] == [{"ApiKey": []},
                                                                       {"Bearer": []}]
    assert {} in schema["paths"]["/v1/chat"]["post"]["security"]  # a key is optional there
    assert "security" not in schema["paths"]["/v1/feedback"]["post"]


def test_favicon_and_manifest_served(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
    manifest = client.get("/manifest.json")
    assert manifest.status_code == 200 and manifest.json()["icons"][0]["src"] == "/favicon.ico"


def test_cli_json_errors_are_json(capsys, tmp_path, monkeypatch):
    import json

    from assistant import cli
    from assistant.core.errors import NotFoundError

    monkeypatch.setenv("TROLY_DATA_DIR", str(tmp_path))
    parser = cli.build_parser()

    def failing(_args, _settings):
        raise NotFoundError("Không có hồ sơ X / no dossier X")

    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    parser._subparsers._group_actions[0].choices["ask"].set_defaults(handler=failing)  # noqa: SLF001
    assert cli.main(["ask", "câu hỏi", "--json"]) == 1
    out = capsys.readouterr()
    assert json.loads(out.out) == {"error": "not_found", "message": "Không có hồ sơ X / no dossier X"}
    assert cli.main(["ask", "câu hỏi"]) == 1
    assert capsys.readouterr().err.startswith("Lỗi / Error:")


def test_readme_names_troly_port_and_how_to_list_demo_dossiers():
    from datetime import date

    from assistant.cli import build_parser
    from assistant.core.settings import PROJECT_ROOT
    from connectors.reference.demo import demo_dossiers

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert "TROLY_PORT" in readme and "troly dossier --help" in readme
    parser = build_parser()
    dossier_help = parser._subparsers._group_actions[0].choices["dossier"].format_help()  # noqa: SLF001
    for demo in demo_dossiers(date.today()):
        assert demo.code in dossier_help and demo.phone_last4 in dossier_help


def test_no_progress_bars_when_output_is_not_a_terminal(capsys, monkeypatch):
    from assistant.cli import quiet_progress_bars
    from ui.cli import _progress

    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    quiet_progress_bars()  # pytest's captured stderr is not a terminal
    import os

    assert os.environ["TQDM_DISABLE"] == "1"
    _progress(3, 10, "a.md")
    assert capsys.readouterr().err == ""
