"""The one fake clock: a callable returning a time the test moves by hand."""

from __future__ import annotations


class FakeClock:
    """Stands in for `time.monotonic` / `time.time` wherever code takes a `clock` callable.
    `now` starts where the test says (some code under test treats 0 as "never") and only moves
    when the test moves it (`clock.now += 30` or `clock.advance(30)`)."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
