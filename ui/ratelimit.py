"""Per-client token buckets for the anonymous citizen channel. The buckets live in a
`CounterStore` (connectors.ratelimit): this process's memory, or the application database so
that every troly process shares them."""

from __future__ import annotations

import time
from collections.abc import Callable

from connectors.ratelimit import CounterStore, MemoryCounterStore, State


class TokenBucketLimiter:
    """`rate_per_minute` tokens refill continuously up to `burst`; each request takes one.
    A rate of 0 turns limiting off."""

    def __init__(
        self,
        rate_per_minute: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        store: CounterStore | None = None,
        scope: str = "citizen",
    ) -> None:
        self.rate = rate_per_minute / 60.0
        self.burst = max(1, burst)
        self._clock = clock
        self._store = store or MemoryCounterStore()
        self.scope = scope

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def acquire(self, client: str) -> float:
        """Take a token for `client`. Returns 0 when allowed, else the seconds to wait."""
        if not self.enabled:
            return 0.0
        now = self._clock()

        def change(state: State) -> tuple[State, float]:
            tokens = float(state.get("tokens", self.burst))
            tokens = min(float(self.burst), tokens + (now - state.get("at", now)) * self.rate)
            if tokens >= 1.0:
                return {"tokens": tokens - 1.0, "at": now}, 0.0
            return {"tokens": tokens, "at": now}, (1.0 - tokens) / self.rate

        # a bucket left alone for burst/rate seconds is full again: its state can expire
        return self._store.update(
            self.scope, client, change, now=now, ttl_s=self.burst / self.rate)
