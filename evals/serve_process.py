"""Start `troly serve` as a subprocess on a free loopback port and wait until it answers (the
load and abuse benchmarks measure a real server process)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from evals.machine import process_peak_rss_mb

log = logging.getLogger(__name__)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerProcess:
    base_url: str
    process: subprocess.Popen

    def peak_rss_mb(self) -> float | None:
        return process_peak_rss_mb(self.process.pid)


def wait_until_up(url: str, timeout_s: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"server not ready at {url} after {timeout_s:.0f} s")


@contextmanager
def serve_subprocess(
    data_dir: Path,
    *,
    health_path: str = "/healthz",
    startup_timeout_s: float = 180.0,
    log_path: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[ServerProcess]:
    """Start `troly serve` on a free loopback port, wait for it, stop it on exit. `env` is added
    to this process's environment (e.g. to switch the citizen rate limit off for a load test)."""
    port = free_port()
    cmd = [sys.executable, "-m", "assistant.cli", "--data-dir", str(data_dir), "serve",
           "--host", "127.0.0.1", "--port", str(port), "--no-index-demo"]
    out = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + health_path, startup_timeout_s, process)
        yield ServerProcess(base_url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            out.close()
