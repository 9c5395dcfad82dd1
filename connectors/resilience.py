"""Retry with exponential backoff and a circuit breaker, so a slow or failing one-stop-shop
system costs citizens a quick "try later" instead of a hung chat."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(frozen=True)
class RetryPolicy:
    """`retries` extra attempts after the first; delay before retry n (1-based) is
    `backoff_s * 2**(n-1)`, capped at `max_backoff_s`."""

    retries: int = 2
    backoff_s: float = 0.2
    max_backoff_s: float = 2.0

    def delay(self, retry_number: int) -> float:
        return min(self.max_backoff_s, self.backoff_s * 2 ** (retry_number - 1))


class CircuitBreaker:
    """Closed -> open after `failure_threshold` consecutive failed calls; open -> half-open
    after `reset_timeout_s`; in half-open one trial call is let through: success closes the
    circuit, failure opens it again for another cool-down."""

    def __init__(
        self, failure_threshold: int = 5, reset_timeout_s: float = 30.0, clock: Clock = time.monotonic
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold must be >= 1")
        self.failure_threshold = failure_threshold
        self.reset_timeout_s = reset_timeout_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> str:
        """'closed', 'open' or 'half_open'."""
        with self._lock:
            return self._state_locked()

    def _state_locked(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.reset_timeout_s:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """May a call go through now? In half-open state only one caller gets True."""
        with self._lock:
            state = self._state_locked()
            if state == "closed":
                return True
            if state == "half_open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
            self._trial_running = False

    def retry_after_s(self) -> float:
        """Seconds until the next trial call is allowed (0 when not open)."""
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self.reset_timeout_s - (self._clock() - self._opened_at))
