"""Rate limits for dossier lookups: a sliding-window counter per key (client or dossier code)
and a lock that closes a dossier code after repeated failed verifications.

Their state lives in a `CounterStore`: process memory by default, or the application
database (ui.shared_state.SqlCounterStore) so that every troly process behind a load balancer
counts the same attempts. A limiter is a pure function over a small JSON state; the store only
reads, changes and writes that state atomically per (scope, key).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

Clock = Callable[[], float]
State = dict[str, Any]
T = TypeVar("T")
Change = Callable[[State], tuple[State | None, T]]


class CounterStore(Protocol):
    def update(self, scope: str, key: str, change: Change[T], *, now: float, ttl_s: float) -> T:
        """Atomically apply `change` to the state of (scope, key) ({} when absent or expired)
        and keep what it returns (None deletes) for `ttl_s` seconds after `now`; returns the
        change's result."""
        ...


class MemoryCounterStore:
    """One process's counters (bounded: expired states are dropped past `max_keys`)."""

    def __init__(self, max_keys: int = 50_000) -> None:
        self._max_keys = max_keys
        self._states: dict[tuple[str, str], tuple[State, float]] = {}
        self._lock = threading.Lock()

    def update(self, scope: str, key: str, change: Change[T], *, now: float, ttl_s: float) -> T:
        with self._lock:
            state, expires = self._states.get((scope, key), ({}, now))
            new, result = change(dict(state) if expires > now else {})
            if new is None:
                self._states.pop((scope, key), None)
            else:
                self._states[(scope, key)] = (new, now + ttl_s)
                if len(self._states) > self._max_keys:
                    self._evict(now)
            return result

    def _evict(self, now: float) -> None:
        for item in [k for k, (_, expires) in self._states.items() if expires <= now]:
            del self._states[item]


def _recent(stamps: list[float], now: float, span: float) -> list[float]:
    return [t for t in stamps if now - t < span]


class SlidingWindowLimiter:
    """At most `limit` hits per key within any `window_s` seconds."""

    def __init__(
        self, limit: int, window_s: float, *, clock: Clock = time.monotonic,
        store: CounterStore | None = None, scope: str = "window",
    ) -> None:
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._store = store or MemoryCounterStore()
        self.scope = scope

    def _update(self, key: str, record: bool) -> bool:
        now = self._clock()

        def change(state: State) -> tuple[State | None, bool]:
            hits = _recent(state.get("hits", []), now, self.window_s)
            allowed = len(hits) < self.limit
            if record and allowed:
                hits.append(now)
            return ({"hits": hits} if hits else None), allowed

        return self._store.update(self.scope, key, change, now=now, ttl_s=self.window_s)

    def retry_after(self, key: str) -> float:
        """Seconds until `key` may hit again (0 when it may now)."""
        now = self._clock()

        def change(state: State) -> tuple[State | None, float]:
            hits = _recent(state.get("hits", []), now, self.window_s)
            wait = hits[0] + self.window_s - now if len(hits) >= self.limit else 0.0
            return ({"hits": hits} if hits else None), max(0.0, wait)

        return self._store.update(self.scope, key, change, now=now, ttl_s=self.window_s)

    def allowed(self, key: str) -> bool:
        """Would another hit be allowed now? (Does not record one.)"""
        return self._update(key, record=False)

    def hit(self, key: str) -> bool:
        """Record a hit if allowed; False (nothing recorded) when the key is over its limit."""
        return self._update(key, record=True)


class FailureLock:
    """Locks a key for `lock_s` seconds after `max_failures` failures with no success in
    between (failures older than `lock_s` are forgotten)."""

    def __init__(
        self, max_failures: int = 5, lock_s: float = 900.0, *, clock: Clock = time.monotonic,
        store: CounterStore | None = None, scope: str = "failure_lock",
    ) -> None:
        self.max_failures = max_failures
        self.lock_s = lock_s
        self._clock = clock
        self._store = store or MemoryCounterStore()
        self.scope = scope

    def _update(self, key: str, change: Callable[[State, float], tuple[State | None, bool]]) -> bool:
        now = self._clock()
        return self._store.update(
            self.scope, key, lambda state: change(state, now), now=now, ttl_s=self.lock_s)

    def locked(self, key: str) -> bool:
        def change(state: State, now: float) -> tuple[State | None, bool]:
            until = state.get("locked_until")
            if until is None:
                return (state or None), False
            if now >= until:
                return None, False
            return state, True

        return self._update(key, change)

    def failure(self, key: str) -> bool:
        """Record a failure; True when this failure locks the key."""
        def change(state: State, now: float) -> tuple[State | None, bool]:
            failures = [*_recent(state.get("failures", []), now, self.lock_s), now]
            new = {**state, "failures": failures}
            if len(failures) >= self.max_failures:
                new["locked_until"] = now + self.lock_s
                return new, True
            return new, False

        return self._update(key, change)

    def retry_after(self, key: str) -> float:
        """Seconds until `key` is unlocked (0 when it is not locked)."""
        def change(state: State, now: float) -> tuple[State | None, float]:
            until = state.get("locked_until")
            return (state or None), max(0.0, until - now) if until else 0.0

        return self._update(key, change)  # type: ignore[arg-type]

    def reset(self, key: str) -> None:
        """Forget `key`'s failures and lock (staff unlocking a dossier code)."""
        self._update(key, lambda _state, _now: (None, False))

    def success(self, key: str) -> None:
        def change(state: State, _now: float) -> tuple[State | None, bool]:
            state.pop("failures", None)
            return (state or None), False

        self._update(key, change)
