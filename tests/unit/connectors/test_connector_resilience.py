import pytest

from connectors.ratelimit import FailureLock, MemoryCounterStore, SlidingWindowLimiter
from connectors.resilience import CircuitBreaker, RetryPolicy
from fakes.clock import FakeClock


def test_retry_policy_backs_off_exponentially_with_a_cap() -> None:
    policy = RetryPolicy(retries=5, backoff_s=0.1, max_backoff_s=0.5)
    assert [policy.delay(n) for n in range(1, 6)] == pytest.approx([0.1, 0.2, 0.4, 0.5, 0.5])


def test_circuit_breaker_opens_after_threshold_and_half_opens_after_cooldown() -> None:
    clock = FakeClock(1000.0)
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout_s=30, clock=clock)
    breaker.record_failure()
    assert breaker.state == "closed" and breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open" and not breaker.allow()
    clock.now += 30
    assert breaker.state == "half_open"
    assert breaker.allow()  # the single trial call
    assert not breaker.allow()  # nobody else while the trial runs


def test_circuit_breaker_trial_success_closes_and_failure_reopens() -> None:
    clock = FakeClock(1000.0)
    breaker = CircuitBreaker(failure_threshold=1, reset_timeout_s=10, clock=clock)
    breaker.record_failure()
    clock.now += 10
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state == "open" and breaker.retry_after_s() == pytest.approx(10)
    clock.now += 10
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state == "closed" and breaker.allow()


def test_sliding_window_limiter_refuses_over_limit_then_recovers() -> None:
    clock = FakeClock(1000.0)
    limiter = SlidingWindowLimiter(3, 60, clock=clock)
    assert [limiter.hit("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.hit("b")  # keys are independent
    clock.now += 60
    assert limiter.allowed("a") and limiter.hit("a")


def test_sliding_window_limiter_bounds_memory() -> None:
    clock = FakeClock(1000.0)
    store = MemoryCounterStore(max_keys=5)
    limiter = SlidingWindowLimiter(1, 10, clock=clock, store=store)
    for i in range(5):
        limiter.hit(f"k{i}")
    clock.now += 11
    for i in range(5, 12):
        limiter.hit(f"k{i}")
    assert len(store._states) <= 7


def test_failure_lock_locks_after_repeated_failures_and_expires() -> None:
    clock = FakeClock(1000.0)
    lock = FailureLock(max_failures=3, lock_s=600, clock=clock)
    assert not lock.failure("code") and not lock.failure("code")
    assert lock.failure("code")
    assert lock.locked("code")
    clock.now += 600
    assert not lock.locked("code")
    assert not lock.failure("code")  # the count started again


def test_failure_lock_success_resets_the_count() -> None:
    lock = FailureLock(max_failures=2, lock_s=600, clock=FakeClock(1000.0))
    lock.failure("code")
    lock.success("code")
    assert not lock.failure("code")
