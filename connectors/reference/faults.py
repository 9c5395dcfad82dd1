"""Fault injection and request counters for tests (active only when the service is started
with test hooks). A fault applies to the next `count` requests of its target endpoint."""

from __future__ import annotations

import threading
from dataclasses import dataclass

FAULT_KINDS = ("error500", "slow", "malformed", "unauthorized", "not_found")
TARGETS = ("search", "token")


@dataclass
class Fault:
    kind: str
    count: int = 1
    delay_s: float = 0.0
    target: str = "search"


class FaultBoard:
    """Thread-safe queue of pending faults plus per-endpoint request counters."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._counts = {target: 0 for target in TARGETS}

    def inject(self, kind: str, count: int = 1, delay_s: float = 0.0, target: str = "search") -> None:
        if kind not in FAULT_KINDS or target not in TARGETS or count < 1:
            raise ValueError(f"bad fault: kind={kind!r} target={target!r} count={count}")
        with self._lock:
            self._faults.append(Fault(kind, count, delay_s, target))

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, target: str) -> Fault | None:
        """Count a request to `target` and pop one use of the first fault aimed at it."""
        with self._lock:
            self._counts[target] += 1
            for fault in self._faults:
                if fault.target == target:
                    fault.count -= 1
                    if fault.count == 0:
                        self._faults.remove(fault)
                    return Fault(fault.kind, 1, fault.delay_s, target)
            return None

    def note(self, target: str) -> None:
        """Count a request that never reached the fault stage (e.g. rejected token)."""
        with self._lock:
            self._counts[target] += 1

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {f"{target}_requests": n for target, n in self._counts.items()}
