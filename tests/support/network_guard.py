"""The network guard every test runs under: a connection to anything but this machine
(127.0.0.0/8, ::1, `localhost`, unix sockets) raises NetworkBlockedError and is recorded, so the
test fails even when the code under test swallows the error (tests/conftest.py wires it in)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class NetworkBlockedError(RuntimeError):
    """A test tried to reach another machine. Not an OSError, so retry and fallback paths that
    catch connection errors do not hide it."""


_violations: list[str] = []
_originals: dict[str, Any] = {}


def is_loopback_host(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%", 1)[0].lower()
    if name in LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or (mapped is not None and mapped.is_loopback)


def is_allowed(family: int, address: object) -> bool:
    if family == getattr(socket, "AF_UNIX", object()):
        return True
    if family in (socket.AF_INET, socket.AF_INET6):
        return isinstance(address, tuple) and bool(address) and is_loopback_host(address[0])
    return True  # netlink and friends never leave the machine


def _block(address: object) -> NetworkBlockedError:
    message = (f"network guard: a test tried to connect to {address!r}; tests may only reach "
               "loopback (127.0.0.0/8, ::1, localhost) or unix sockets")
    _violations.append(message)
    return NetworkBlockedError(message)


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if not is_allowed(self.family, address):
        raise _block(address)
    return _originals["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if not is_allowed(self.family, address):
        raise _block(address)
    return _originals["connect_ex"](self, address)


def _guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
    if not (isinstance(address, tuple) and address and is_loopback_host(address[0])):
        raise _block(address)
    return _originals["create_connection"](address, *args, **kwargs)


def install() -> None:
    """Patch socket.socket.connect/connect_ex and socket.create_connection (idempotent)."""
    if _originals:
        return
    _originals.update(connect=socket.socket.connect, connect_ex=socket.socket.connect_ex,
                      create_connection=socket.create_connection)
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.create_connection = _guarded_create_connection  # type: ignore[assignment]


def uninstall() -> None:
    if not _originals:
        return
    socket.socket.connect = _originals.pop("connect")  # type: ignore[method-assign]
    socket.socket.connect_ex = _originals.pop("connect_ex")  # type: ignore[method-assign]
    socket.create_connection = _originals.pop("create_connection")  # type: ignore[assignment]


def take_violations() -> list[str]:
    """The blocked attempts since the last call (and forget them)."""
    taken = list(_violations)
    del _violations[: len(taken)]
    return taken
