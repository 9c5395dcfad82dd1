"""Run an ASGI app with uvicorn in a background thread on a real loopback port (end-to-end and
abuse tests). `troly serve` itself runs uvicorn in the foreground, with the same options."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Sequence
from typing import Any

import uvicorn

from ui.server_options import server_options


class LiveServer:
    """`.url`, `.stop()`; also a context manager."""

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0,
                 startup_timeout_s: float = 30.0, trusted_proxies: Sequence[str] = ()) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        bound_host, bound_port = self._sock.getsockname()[:2]
        self.url = f"http://{bound_host}:{bound_port}"
        options = {**server_options(trusted_proxies), "timeout_graceful_shutdown": 2}
        config = uvicorn.Config(app, log_level="warning", log_config=None, **options)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run,
                                        kwargs={"sockets": [self._sock]},
                                        name="troly-live", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + startup_timeout_s
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("troly app did not start")
            time.sleep(0.02)

    def stop(self, timeout_s: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout_s)
        self._sock.close()

    def __enter__(self) -> LiveServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
