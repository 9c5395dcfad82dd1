"""API keys kept in the database: created in the console (the key is shown once, only its
sha256 digest is stored), scoped admin or staff, labelled, with an optional expiry, revocable.
`ScopedKeys` accepts a key from the settings' digests (TROLY_*_KEY_HASHES) or the database."""

from __future__ import annotations

from collections.abc import Callable
import hmac
import threading
import time
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from assistant.core.errors import InvalidInputError, NotFoundError
from assistant.core.timestamps import now_iso
from ui.console.audit import AdminAudit
from ui.keys import KeyRing, hash_key, new_key
from ui.storage_models import ApiKeyRow

SCOPES = ("admin", "staff")
_CACHE_S = 2.0  # database keys are re-read at most this often (revocation takes effect fast)


class KeyRequestError(InvalidInputError):
    """An invalid key request (shown to the admin)."""


@dataclass(frozen=True)
class ApiKeyRecord:
    key_id: str
    prefix: str
    scope: str
    label: str
    expires_at: str
    created_at: str
    revoked_at: str

    def status(self, now: str) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= now:
            return "expired"
        return "active"


def _record(row: ApiKeyRow) -> ApiKeyRecord:
    return ApiKeyRecord(row.id, row.prefix, row.scope, row.label, row.expires_at, row.created_at,
                        row.revoked_at)


class ApiKeyStore:
    def __init__(self, db: Callable[[], Engine], audit: AdminAudit) -> None:
        self.db = db
        self.audit = audit
        self._lock = threading.Lock()
        self._cache: tuple[float, dict[str, list[tuple[str, str, str]]]] = (0.0, {})

    def create(self, actor: str, scope: str, label: str,
               expires_at: str = "") -> tuple[str, ApiKeyRecord]:
        """(the key, shown once; its record)."""
        if scope not in SCOPES:
            raise KeyRequestError("Phạm vi (scope): admin | staff")
        if not label.strip():
            raise KeyRequestError("Thiếu nhãn (label) / a label is required")
        key = new_key()
        row = ApiKeyRow(id=str(uuid.uuid4()), digest=hash_key(key), prefix=key[:6], scope=scope,
                        label=label.strip()[:200], expires_at=expires_at.strip(),
                        created_at=now_iso(), revoked_at="")
        with Session(self.db()) as session, session.begin():
            session.add(row)
            self.audit.record(actor, "key.create", row.id,
                              {"scope": scope, "label": row.label, "expires_at": row.expires_at},
                              session=session)
            record = _record(row)
        self._invalidate()
        return key, record

    def revoke(self, actor: str, key_id: str) -> ApiKeyRecord:
        with Session(self.db()) as session, session.begin():
            row = session.get(ApiKeyRow, key_id)
            if row is None:
                raise NotFoundError(f"Không có khóa {key_id} / no key {key_id}")
            if not row.revoked_at:
                row.revoked_at = now_iso()
            self.audit.record(actor, "key.revoke", key_id, {"label": row.label}, session=session)
            record = _record(row)
        self._invalidate()
        return record

    def list(self) -> list[ApiKeyRecord]:
        query = select(ApiKeyRow).order_by(ApiKeyRow.created_at.desc())
        with Session(self.db()) as session:
            return [_record(r) for r in session.scalars(query)]

    def _invalidate(self) -> None:
        with self._lock:
            self._cache = (0.0, {})

    def _active(self) -> dict[str, list[tuple[str, str, str]]]:
        """scope -> [(digest, label, expires_at)] of keys not revoked."""
        with self._lock:
            loaded_at, by_scope = self._cache
            if time.monotonic() - loaded_at < _CACHE_S:
                return by_scope
            query = select(ApiKeyRow).where(ApiKeyRow.revoked_at == "")
            fresh: dict[str, list[tuple[str, str, str]]] = {s: [] for s in SCOPES}
            with Session(self.db()) as session:
                for row in session.scalars(query):
                    fresh.setdefault(row.scope, []).append((row.digest, row.label, row.expires_at))
            self._cache = (time.monotonic(), fresh)
            return fresh

    def identify(self, key: str | None, scope: str) -> str | None:
        """The label of the live key of `scope` that `key` is, else None (constant time over
        the keys of that scope)."""
        if not key:
            return None
        presented, now, found = hash_key(key), now_iso(), None
        for digest, label, expires_at in self._active().get(scope, []):
            if hmac.compare_digest(presented, digest) and (not expires_at or expires_at > now):
                found = label
        return found


class ScopedKeys:
    """What the app checks a presented key against: the settings' digests and the database."""

    def __init__(self, ring: KeyRing, store: ApiKeyStore | None, scope: str) -> None:
        self.ring = ring
        self.store = store
        self.scope = scope

    def __bool__(self) -> bool:
        return bool(self.ring) or self.store is not None

    def matches(self, key: str | None) -> bool:
        return self.actor(key) is not None

    def actor(self, key: str | None) -> str | None:
        """Who a valid key belongs to, for the change log (never the key itself)."""
        if self.ring.matches(key):
            return f"{self.scope}:{hash_key(key or '')[:8]}"
        if self.store is not None:
            label = self.store.identify(key, self.scope)
            if label is not None:
                return f"{self.scope}:{label}"
        return None
