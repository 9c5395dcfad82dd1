from __future__ import annotations

from connectors.ratelimit import MemoryCounterStore
from ui.keys import KeyRing, hash_key, new_key
from ui.ratelimit import TokenBucketLimiter
from fakes.clock import FakeClock


def test_hash_key_is_sha256_hex():
    assert hash_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_keyring_matches_only_configured_keys():
    ring = KeyRing([hash_key("dung"), " " + hash_key("khac").upper() + " "])
    assert ring.matches("dung")
    assert ring.matches("khac")
    assert not ring.matches("sai")
    assert not ring.matches("")
    assert not ring.matches(None)


def test_keyring_empty_accepts_nothing():
    ring = KeyRing([])
    assert not ring
    assert not ring.matches("")


def test_new_key_is_random_and_long():
    a, b = new_key(), new_key()
    assert a != b and len(a) >= 24


def test_limiter_allows_burst_then_refills():
    clock = FakeClock()
    limiter = TokenBucketLimiter(60, burst=3, clock=clock)
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("a")
    assert 0.9 < wait <= 1.0
    assert limiter.acquire("b") == 0.0  # other clients are independent
    clock.now += 1.0
    assert limiter.acquire("a") == 0.0


def test_limiter_rate_zero_is_off():
    limiter = TokenBucketLimiter(0, burst=1)
    assert all(limiter.acquire("a") == 0.0 for _ in range(100))


def test_limiter_evicts_idle_clients():
    clock = FakeClock()
    store = MemoryCounterStore(max_keys=10)
    limiter = TokenBucketLimiter(60, burst=2, clock=clock, store=store)
    for i in range(10):
        limiter.acquire(f"c{i}")
    clock.now += 100
    limiter.acquire("new")
    assert len(store._states) == 1
