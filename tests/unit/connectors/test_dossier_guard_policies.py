"""Lockout policies (issue 12): one client's wrong guesses lock that client out of the code, not
the code's owner; a code is closed for everyone only when many clients fail on it; staff can
unlock a code; refusals say how long to wait (Retry-After)."""

from __future__ import annotations

from test_dossier_guard import CODE, FakeClock, FakeConnector, _service

from connectors.ratelimit import FailureLock, SlidingWindowLimiter


def test_one_clients_guesses_do_not_lock_out_the_owner():
    service = _service()
    for _ in range(5):
        assert service.lookup(CODE, "0000", "attacker").outcome == "not_found_or_mismatch"
    assert service.lookup(CODE, "1234", "attacker").outcome == "locked"  # locked for them
    assert service.lookup(CODE, "1234", "owner").outcome == "ok"


def test_many_failing_clients_close_the_code_for_everyone():
    service = _service(code_lock=FailureLock(6, 900, clock=FakeClock()))
    for i in range(6):
        service.lookup(CODE, "0000", f"bot-{i}")
    assert service.lookup(CODE, "1234", "owner").outcome == "locked"


def test_staff_unlock_reopens_the_code_and_the_clients_lock():
    service = _service(code_lock=FailureLock(3, 900, clock=FakeClock()))
    for _ in range(5):
        service.lookup(CODE, "0000", "owner")  # the owner mistyped, then bots joined
    for i in range(3):
        service.lookup(CODE, "0000", f"bot-{i}")
    assert service.lookup(CODE, "1234", "owner").outcome == "locked"
    assert service.unlock(CODE, client_id="owner") is True
    assert service.lookup(CODE, "1234", "owner").outcome == "ok"
    assert service.unlock("not a code") is False


def test_locked_and_rate_limited_results_carry_retry_after():
    clock = FakeClock()
    service = _service(code_lock=FailureLock(2, 900, clock=clock),
                       client_limit=SlidingWindowLimiter(3, 600, clock=clock))
    service.lookup(CODE, "0000", "a")
    service.lookup(CODE, "0000", "b")
    clock.now = 100.0
    locked = service.lookup(CODE, "1234", "c")
    assert locked.outcome == "locked" and 790 <= locked.retry_after_s <= 800
    limited = [service.lookup(CODE, "1234", "z").outcome for _ in range(3)][-1]
    assert limited == "locked"
    over = service.lookup(CODE, "1234", "z")
    assert over.outcome == "rate_limited" and 590 <= over.retry_after_s <= 600
    assert FakeConnector  # (same fixtures as test_dossier_guard)
