"""API keys: only their sha256 digests are stored (settings `admin_key_hashes`,
`staff_key_hashes`); a presented key is hashed and compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable


def hash_key(key: str) -> str:
    """sha256 hex digest of an API key (what goes into settings)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_key() -> str:
    """A fresh random key (printed once by `troly serve` when none is configured)."""
    return secrets.token_urlsafe(24)


class KeyRing:
    """A set of accepted key digests. Every digest is compared, so timing reveals nothing."""

    def __init__(self, digests: Iterable[str]) -> None:
        self._digests = [d.strip().lower() for d in digests if d and d.strip()]

    def __bool__(self) -> bool:
        return bool(self._digests)

    def add(self, digest: str) -> None:
        self._digests.append(digest.strip().lower())

    def matches(self, key: str | None) -> bool:
        if not key:
            return False
        presented = hash_key(key)
        found = False
        for digest in self._digests:
            found |= hmac.compare_digest(presented, digest)
        return found
