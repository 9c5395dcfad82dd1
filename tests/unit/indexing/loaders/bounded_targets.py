"""Misbehaving loaders run inside the bounded loader process by the tests (imported there by
name): slow, memory-hungry, crashing."""

from __future__ import annotations

import os
import signal
import time


def slow(path: str, fmt: str | None, audience: str | None) -> list:
    time.sleep(60)
    return []


def hog(path: str, fmt: str | None, audience: str | None) -> list:
    blocks = []
    for _ in range(64):  # up to 4 GiB, 64 MiB at a time, each touched
        blocks.append(bytearray(64 << 20))
    return [len(blocks)]


def crash(path: str, fmt: str | None, audience: str | None) -> list:
    os.kill(os.getpid(), signal.SIGKILL)
    return []
