"""The network guard of tests/conftest.py (tests/support/network_guard.py): a connection to
another machine fails the test, even when the code under test swallows the error; loopback and
unix sockets work."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.network_guard import NetworkBlockedError, take_violations

TESTS = Path(__file__).resolve().parents[1]
# Documentation ranges (RFC 5737 / RFC 3849): never routed, and the guard raises before any packet.
OUTSIDE = [("192.0.2.1", 80), ("203.0.113.7", 443), ("2001:db8::1", 80, 0, 0), ("example.com", 80)]


@pytest.fixture
def listener() -> Iterator[tuple[str, int]]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    accepting = threading.Thread(target=_accept_all, args=(server,), daemon=True)
    accepting.start()
    yield server.getsockname()
    server.close()


def _accept_all(server: socket.socket) -> None:
    while True:
        try:
            server.accept()[0].close()
        except OSError:
            return


@pytest.mark.parametrize("address", OUTSIDE, ids=lambda a: a[0])
def test_network_guard_blocks_connect_to_another_machine(address: tuple) -> None:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family) as sock, pytest.raises(NetworkBlockedError, match="loopback"):
        sock.connect(address)
    with socket.socket(family) as sock, pytest.raises(NetworkBlockedError):
        sock.connect_ex(address)
    with pytest.raises(NetworkBlockedError, match=str(address[0])):
        socket.create_connection(address[:2], timeout=0.1)
    assert len(take_violations()) == 3  # recorded; taken here so this test itself passes


def test_network_guard_blocked_error_is_not_an_oserror() -> None:
    """Retry/fallback code catches OSError; the guard's error must not look like a flaky link."""
    assert not issubclass(NetworkBlockedError, OSError)


def test_network_guard_records_an_attempt_the_code_swallowed() -> None:
    try:
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    except Exception:  # noqa: BLE001 - what careless code under test would do
        pass
    assert take_violations() == [
        "network guard: a test tried to connect to ('192.0.2.1', 80); tests may only reach "
        "loopback (127.0.0.0/8, ::1, localhost) or unix sockets"
    ]


def test_network_guard_allows_loopback(listener: tuple[str, int]) -> None:
    host, port = listener
    socket.create_connection((host, port), timeout=2).close()
    socket.create_connection(("localhost", port), timeout=2).close()
    with socket.socket() as sock:
        sock.connect(("127.0.0.1", port))
    with socket.socket() as sock:
        sock.connect_ex(("127.0.0.2", port))  # all of 127/8 is loopback: refused, not blocked
    assert take_violations() == []


def test_network_guard_allows_unix_sockets(tmp_path: Path) -> None:
    path = str(tmp_path / "s")
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(path)
        server.listen(1)
        client.connect(path)
    assert take_violations() == []


def test_network_guard_fails_a_test_that_swallows_the_error(tmp_path: Path) -> None:
    """Through pytest itself: the guard's fixture turns a swallowed attempt into a failure."""
    (tmp_path / "test_outbound.py").write_text(textwrap.dedent("""
        import socket

        def test_swallows_outbound():
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=0.1)
            except Exception:
                pass

        def test_loopback_only():
            socket.socket().close()
    """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "conftest", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), str(tmp_path / "test_outbound.py")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert "ERROR test_outbound.py::test_swallows_outbound" in run.stdout, run.stdout + run.stderr
    assert "1 error" in run.stdout and "failed" not in run.stdout
    assert "network guard: a test tried to connect to ('192.0.2.1', 80)" in run.stdout
