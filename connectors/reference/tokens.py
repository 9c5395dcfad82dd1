"""Keycloak-style client-credentials tokens for the reference service: opaque random
strings, short-lived so expiry can be exercised."""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Callable


class TokenIssuer:
    def __init__(
        self, clients: dict[str, str], ttl_s: float = 300.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clients = dict(clients)
        self.ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}

    def __repr__(self) -> str:
        return f"TokenIssuer(clients={sorted(self._clients)}, ttl_s={self.ttl_s})"

    def check_client(self, client_id: str, secret: str) -> bool:
        expected = self._clients.get(client_id)
        return expected is not None and hmac.compare_digest(expected, secret)

    def issue(self) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            now = self._clock()
            self._tokens = {t: exp for t, exp in self._tokens.items() if exp > now}
            self._tokens[token] = now + self.ttl_s
        return token

    def valid(self, token: str) -> bool:
        with self._lock:
            expires = self._tokens.get(token)
            return expires is not None and expires > self._clock()

    def revoke_all(self) -> None:
        with self._lock:
            self._tokens.clear()
