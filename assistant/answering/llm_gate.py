"""Bounded LLM concurrency and a short memory of how the LLM has been doing.

At most `max_concurrent` LLM calls run at once; a question that finds every slot taken gets
the extractive answer at once. After `trip_after` failures in a row (timeout or error) the LLM
is `degraded`: it is skipped for `cooldown_s`, then one call probes it again. `/readyz` and
`/metrics` show the snapshot."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FAILURES = ("timeout", "error")


class LlmGate:
    def __init__(
        self, max_concurrent: int = 2, *, trip_after: int = 2, cooldown_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_concurrent = max(1, max_concurrent)
        self.trip_after = trip_after
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._slots = threading.BoundedSemaphore(self.max_concurrent)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._failures_in_row = 0
        self._last_failure = float("-inf")
        self._outcomes: Counter[str] = Counter()

    @property
    def degraded(self) -> bool:
        with self._lock:
            return self._failures_in_row >= self.trip_after

    def allowed(self) -> bool:
        """False while degraded and cooling down (the LLM is not even asked)."""
        with self._lock:
            open_circuit = self._failures_in_row >= self.trip_after
            cooling = self._clock() - self._last_failure < self.cooldown_s
        if open_circuit and cooling:
            self.record("skipped")
            return False
        return True

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yields True with a slot held, False (and records `busy`) when none is free."""
        if not self._slots.acquire(blocking=False):
            self.record("busy")
            yield False
            return
        with self._lock:
            self._in_flight += 1
        try:
            yield True
        finally:
            with self._lock:
                self._in_flight -= 1
            self._slots.release()

    def record(self, outcome: str) -> None:
        """`ok`, `timeout`, `error`, `unsupported` (answered, failed verification), `busy`,
        `skipped`."""
        with self._lock:
            self._outcomes[outcome] += 1
            if outcome in FAILURES:
                self._failures_in_row += 1
                self._last_failure = self._clock()
            elif outcome in ("ok", "unsupported"):
                self._failures_in_row = 0

    def snapshot(self) -> dict:
        degraded = self.degraded
        with self._lock:
            fallbacks = {k: v for k, v in self._outcomes.items() if k not in ("ok",)}
            return {
                "state": "degraded" if degraded else "ok",
                "in_flight": self._in_flight,
                "max_concurrent": self.max_concurrent,
                "failures_in_row": self._failures_in_row,
                "answered": self._outcomes.get("ok", 0),
                "fallbacks": fallbacks,
            }
