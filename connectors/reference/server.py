"""Run the reference service with uvicorn in a background thread on loopback, for tests,
`troly serve`, `troly dossier` and demos."""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from connectors.reference.app import create_app
from connectors.reference.db import ReferenceStore
from connectors.reference.demo import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REALM,
    DemoDossier,
    demo_dossiers,
)
from connectors.reference.faults import FaultBoard
from connectors.reference.tokens import TokenIssuer

log = logging.getLogger(__name__)
DEFAULT_SEED = 20251120


class ReferenceServer:
    """Handle of a running reference service: `.url`, `.stop()`, demo data, test hooks."""

    def __init__(
        self, server: uvicorn.Server, thread: threading.Thread, sock: socket.socket,
        store: ReferenceStore, issuer: TokenIssuer, faults: FaultBoard, anchor: date,
    ) -> None:
        self._server, self._thread, self._sock = server, thread, sock
        self.store, self.issuer, self.faults = store, issuer, faults
        host, port = sock.getsockname()[:2]
        self.port: int = port
        self.url = f"http://{host}:{port}"
        self.realm = DEMO_REALM
        self.client_id = DEMO_CLIENT_ID
        self.client_secret = DEMO_CLIENT_SECRET
        self.anchor = anchor
        self.demo: list[DemoDossier] = demo_dossiers(anchor)

    def __repr__(self) -> str:
        return f"ReferenceServer(url={self.url!r}, anchor={self.anchor})"

    @property
    def token_url(self) -> str:
        return f"{self.url}/auth/realms/{self.realm}/protocol/openid-connect/token"

    def inject(self, kind: str, count: int = 1, delay_s: float = 0.0, target: str = "search") -> None:
        self.faults.inject(kind, count, delay_s, target)

    def clear_faults(self) -> None:
        self.faults.clear()

    def revoke_tokens(self) -> None:
        self.issuer.revoke_all()

    def stats(self) -> dict[str, int]:
        return self.faults.stats()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout_s)
        self._sock.close()
        self.store.close()

    def __enter__(self) -> ReferenceServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class ReferenceApp:
    app: FastAPI
    store: ReferenceStore
    issuer: TokenIssuer
    faults: FaultBoard
    anchor: date  # the date the database was seeded for


def build_reference_app(
    db_path: Path | None = None, *, seed: int = DEFAULT_SEED, anchor: date | None = None,
    count: int = 240, token_ttl_s: float = 300.0, test_hooks: bool = False,
) -> ReferenceApp:
    """The app and its parts, seeding the database on first use (used by uvicorn and tests)."""
    store = ReferenceStore(db_path)
    seeded_for = store.ensure_seeded(seed, anchor or date.today(), count)
    issuer = TokenIssuer({DEMO_CLIENT_ID: DEMO_CLIENT_SECRET}, ttl_s=token_ttl_s)
    faults = FaultBoard()
    app = create_app(store, issuer, faults, realm=DEMO_REALM, test_hooks=test_hooks)
    return ReferenceApp(app, store, issuer, faults, seeded_for)


def start_reference_server(
    port: int = 0, db_path: Path | None = None, *, seed: int = DEFAULT_SEED,
    anchor: date | None = None, count: int = 240, token_ttl_s: float = 300.0,
    test_hooks: bool = False, host: str = "127.0.0.1", startup_timeout_s: float = 10.0,
) -> ReferenceServer:
    """Start the service on `host:port` (0 = a free port) and return once it accepts
    connections. `db_path=None` keeps the database in memory; an existing database keeps the
    anchor date it was seeded with."""
    ref = build_reference_app(
        db_path, seed=seed, anchor=anchor, count=count, token_ttl_s=token_ttl_s,
        test_hooks=test_hooks,
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    config = uvicorn.Config(
        ref.app, log_level="warning", log_config=None, lifespan="off", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="reference-onestop", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + startup_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            raise RuntimeError("reference one-stop-shop service did not start")
        time.sleep(0.01)
    handle = ReferenceServer(server, thread, sock, ref.store, ref.issuer, ref.faults, ref.anchor)
    log.info("reference one-stop-shop started", extra={"url": handle.url})
    return handle
