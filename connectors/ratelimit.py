"""In-memory rate limits for dossier lookups: a sliding-window counter per key (client or
dossier code) and a lock that closes a dossier code after repeated failed verifications."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]


class SlidingWindowLimiter:
    """At most `limit` hits per key within any `window_s` seconds."""

    def __init__(
        self, limit: int, window_s: float, *, clock: Clock = time.monotonic, max_keys: int = 50_000
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._hits: dict[str, deque[float]] = {}

    def _prune(self, key: str, now: float) -> deque[float]:
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window_s:
            hits.popleft()
        return hits

    def allowed(self, key: str) -> bool:
        """Would another hit be allowed now? (Does not record one.)"""
        with self._lock:
            return len(self._prune(key, self._clock())) < self.limit

    def hit(self, key: str) -> bool:
        """Record a hit if allowed; False (nothing recorded) when the key is over its limit."""
        with self._lock:
            now = self._clock()
            hits = self._prune(key, now)
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > self._max_keys:
                self._evict(now)
            return True

    def _evict(self, now: float) -> None:
        """Drop keys with no hit inside the window (bounded memory under enumeration)."""
        for key in [k for k, v in self._hits.items() if not v or now - v[-1] >= self.window_s]:
            del self._hits[key]


class FailureLock:
    """Locks a key for `lock_s` seconds after `max_failures` failures with no success in
    between (failures older than `lock_s` are forgotten)."""

    def __init__(self, max_failures: int = 5, lock_s: float = 900.0, *, clock: Clock = time.monotonic) -> None:
        self.max_failures = max_failures
        self.lock_s = lock_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = {}
        self._locked_until: dict[str, float] = {}

    def locked(self, key: str) -> bool:
        with self._lock:
            until = self._locked_until.get(key)
            if until is None:
                return False
            if self._clock() >= until:
                del self._locked_until[key]
                self._failures.pop(key, None)
                return False
            return True

    def failure(self, key: str) -> bool:
        """Record a failure; True when this failure locks the key."""
        with self._lock:
            now = self._clock()
            failures = self._failures.setdefault(key, deque())
            while failures and now - failures[0] >= self.lock_s:
                failures.popleft()
            failures.append(now)
            if len(failures) >= self.max_failures:
                self._locked_until[key] = now + self.lock_s
                return True
            return False

    def success(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
