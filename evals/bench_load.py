"""Load test: N concurrent HTTP clients against a running troly API for T seconds, and a helper
that starts `troly serve` as a subprocess on a free loopback port."""

from __future__ import annotations

import itertools
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from evals.machine import process_peak_rss_mb
from evals.metrics import latency_summary

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


def run_load(
    send: Callable[[httpx.Client, str], httpx.Response],
    base_url: str,
    questions: Sequence[str],
    *,
    clients: int = 20,
    seconds: float = 60.0,
    timeout_s: float = 60.0,
) -> dict[str, Any]:
    """Each client thread sends questions back to back until the time is up. A request counts as
    an error when it raises or answers with a status >= 400."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    feed = itertools.cycle(questions)
    deadline = time.monotonic() + seconds

    def client_loop() -> None:
        with httpx.Client(base_url=base_url, timeout=timeout_s) as http:
            while time.monotonic() < deadline:
                with lock:
                    question = next(feed)
                start = time.perf_counter()
                try:
                    status = send(http, question).status_code
                    error = f"http {status}" if status >= 400 else ""
                except httpx.HTTPError as exc:
                    error = type(exc).__name__
                elapsed = (time.perf_counter() - start) * 1000.0
                with lock:
                    if error:
                        errors[error] = errors.get(error, 0) + 1
                    else:
                        latencies.append(elapsed)

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(wall, 2),
        "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "requests_per_s": round(len(latencies) / wall, 2) if wall else None,
        "latency_ms": latency_summary(latencies, (50, 95, 99)),
    }
