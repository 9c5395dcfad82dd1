"""Which one-stop-shop troly reads is decided in one place (`assistant.app.dossier`): a
configured system, else the reference service given by URL, else a clear ConfigError."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.app.dossier import build_connector, onestop_configured
from assistant.core.errors import ConfigError
from assistant.core.settings import Settings


def _settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, **values)


def test_onestop_configured_follows_the_igate_setting(tmp_path: Path) -> None:
    assert not onestop_configured(_settings(tmp_path, igate_base_url=""))
    assert onestop_configured(_settings(tmp_path, igate_base_url="http://igate.example"))


def test_build_connector_prefers_the_configured_system_over_the_reference(tmp_path: Path) -> None:
    reference_url = "http://127.0.0.1:1"
    configured = _settings(tmp_path, igate_base_url="http://igate.example")
    igate = build_connector(configured, reference_url)
    reference = build_connector(_settings(tmp_path, igate_base_url=""), reference_url)
    assert igate.base_url.startswith("http://igate.example")
    assert reference.base_url.startswith("http://127.0.0.1:1")
    igate.close()
    reference.close()


def test_build_connector_without_any_one_stop_shop_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        build_connector(_settings(tmp_path, igate_base_url=""))
