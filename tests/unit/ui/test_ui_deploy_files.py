"""The files in deploy/ (compose, Dockerfile, systemd units, the settings example) name only
settings troly reads, commands the `troly` CLI has, and health paths the API serves: a renamed
setting or route fails here instead of on the department's server."""

from __future__ import annotations

import re
import shlex

import pytest

from assistant.core.settings import PROJECT_ROOT, Settings

DEPLOY = PROJECT_ROOT / "deploy"
DEPLOY_FILES = sorted(p for p in DEPLOY.rglob("*") if p.is_file())
# Variables of the deploy files themselves, not troly settings (compose interpolation only).
DEPLOY_ONLY = {"TROLY_DB_PASSWORD"}
_SETTING = re.compile(r"\bTROLY_[A-Z0-9_]+\b")
_TROLY_COMMAND = re.compile(r"""(?:bin/troly|^CMD \["troly"|RUN troly)[",\s]+(.+)$""", re.M)
_HEALTH_PATH = re.compile(r"http://127\.0\.0\.1:[^/\s'\"]+(/[a-z]+)")


def _setting_names() -> set[str]:
    return {f"TROLY_{name.upper()}" for name in Settings.model_fields}


def test_deploy_folder_holds_compose_dockerfile_units_and_the_settings_example() -> None:
    names = {p.relative_to(DEPLOY).as_posix() for p in DEPLOY_FILES}
    assert {"compose.yaml", "Dockerfile", "troly.env.example"} <= names
    assert any(n.startswith("systemd/") and n.endswith(".service") for n in names)


@pytest.mark.parametrize("path", DEPLOY_FILES, ids=lambda p: p.relative_to(DEPLOY).as_posix())
def test_every_troly_variable_in_deploy_files_is_a_setting(path) -> None:
    named = set(_SETTING.findall(path.read_text(encoding="utf-8"))) - DEPLOY_ONLY
    unknown = named - _setting_names()
    assert not unknown, f"{path.name} names settings troly does not read: {sorted(unknown)}"


def test_every_troly_command_in_deploy_files_parses() -> None:
    from assistant.cli import build_parser

    parser = build_parser()
    commands = []
    for path in DEPLOY_FILES:
        for match in _TROLY_COMMAND.finditer(path.read_text(encoding="utf-8")):
            words = [w for w in shlex.split(match.group(1).replace('", "', " ").rstrip('"]'))]
            words = [re.sub(r"%i", "8001", w) for w in words]
            commands.append(words)
            parser.parse_args(words)  # SystemExit (a failure) on an unknown command or option
    assert {c[0] for c in commands} >= {"serve", "prepare-models"}


def test_health_checks_probe_paths_the_api_serves() -> None:
    from ui.api.routes_ops import router

    served = {route.path for route in router.routes}
    probed = {m for p in DEPLOY_FILES for m in _HEALTH_PATH.findall(p.read_text(encoding="utf-8"))}
    assert probed >= {"/readyz", "/healthz"}
    assert probed <= served, f"probed but not served: {sorted(probed - served)}"
