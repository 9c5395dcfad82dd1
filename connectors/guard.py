"""The privacy-guarded dossier service (`assistant.core.interfaces.DossierLookup`).

A lookup needs the dossier code and a verification factor (last 4 digits of the applicant's
phone, or of their ID number). A wrong factor and an unknown code give the same answer, so the
service cannot be used to learn which codes exist; lookups are rate-limited per client and per
code, repeated failures lock a code for a while, and every lookup is audit-logged without
personal data. A failing one-stop-shop system gives the `unavailable` outcome, never a trace."""

from __future__ import annotations

import hmac
import logging
import re
import time

from assistant.core.domain import DossierLookupResult
from assistant.core.errors import ConfigError, ConnectorError
from connectors.audit import AuditEvent, AuditSink, LoggingAuditSink
from connectors.base import DossierRecord, StatusConnector
from assistant.core.dossier_codes import normalize_code
from connectors.format import format_status
from assistant.core.dossier_messages import FACTOR_LABELS, messages
from assistant.core.timestamps import now_iso
from assistant.core.masking import last4
from connectors.ratelimit import CounterStore, FailureLock, SlidingWindowLimiter

log = logging.getLogger(__name__)


def _factor_digits(verification: str) -> str:
    """'1234' stays; a whole phone or ID number typed instead ('0905 671 234') gives its last 4
    digits; anything else is returned stripped (and then refused as invalid)."""
    digits = re.sub(r"[\s.\-]", "", verification)
    if digits.isdigit() and 9 <= len(digits) <= 12:
        return digits[-4:]
    return verification.strip()


def _client_code(code: str, client_id: str) -> str:
    return f"{code}|{client_id}"


class DossierService:
    def __init__(
        self,
        connector: StatusConnector,
        *,
        contact: str,
        verification_factor: str = "phone_last4",
        audit: AuditSink | None = None,
        client_limit: SlidingWindowLimiter | None = None,
        client_failure_limit: SlidingWindowLimiter | None = None,
        code_limit: SlidingWindowLimiter | None = None,
        code_lock: FailureLock | None = None,
        client_code_lock: FailureLock | None = None,
        counters: CounterStore | None = None,
        demo: bool = False,
    ) -> None:
        """`demo`: the connector reads the reference one-stop-shop, whose dossiers are made up;
        answers say so (connectors.format.DEMO_DOSSIER_ORIGIN)."""
        if verification_factor not in FACTOR_LABELS:
            raise ConfigError(
                f"verification_factor={verification_factor!r} không hợp lệ (phone_last4 | "
                "id_last4) / invalid verification_factor (TROLY_VERIFICATION_FACTOR)"
            )
        self.connector = connector
        self.demo = demo
        self.verification_factor = verification_factor
        self.audit = audit or LoggingAuditSink()
        # `counters`: where the default limits count (memory, or a store every troly process
        # shares, counted in wall-clock time)
        shared = {"store": counters, "clock": time.time} if counters is not None else {}
        self.client_limit = client_limit or SlidingWindowLimiter(
            20, 600.0, scope="dossier_client", **shared)
        self.client_failure_limit = client_failure_limit or SlidingWindowLimiter(
            10, 3600.0, scope="dossier_client_failure", **shared)
        self.code_limit = code_limit or SlidingWindowLimiter(
            10, 600.0, scope="dossier_code", **shared)
        # Wrong guesses lock the guessing client out of that code first (5 in 15 min); the code
        # closes for everyone only when many clients fail on it (20 in 15 min), so one stranger
        # who knows a code cannot lock its owner out (issue 12). Staff can `unlock`.
        self.client_code_lock = client_code_lock or FailureLock(
            5, 900.0, scope="dossier_client_code_lock", **shared)
        self.code_lock = code_lock or FailureLock(20, 900.0, scope="dossier_code_lock", **shared)
        self._messages = messages(contact, verification_factor, self.code_lock.lock_s)

    def lookup(self, code: str, verification: str, client_id: str) -> DossierLookupResult:
        started = time.perf_counter()
        canonical = normalize_code(code) or ""
        result = self._guarded(canonical, _factor_digits(verification), client_id)
        self._audit(client_id, canonical, result.outcome, started)
        return result

    def unlock(self, code: str, client_id: str | None = None) -> bool:
        """Staff reopen a locked code (and, given `client_id`, that client's own lock on it).
        False when `code` is not a dossier code."""
        canonical = normalize_code(code)
        if canonical is None:
            return False
        self.code_lock.reset(canonical)
        if client_id:
            self.client_code_lock.reset(_client_code(canonical, client_id))
        log.info("dossier code unlocked", extra={"code": canonical})
        return True

    def _result(self, key: str, retry_after_s: float = 0.0) -> DossierLookupResult:
        """A refusal; `key` picks the message ('invalid_code' and 'invalid_verification' are
        both the `invalid` outcome)."""
        outcome = "invalid" if key.startswith("invalid") else key
        return DossierLookupResult(outcome=outcome, message=self._messages[key],
                                   retry_after_s=round(retry_after_s, 1))

    def _guarded(self, code: str, verification: str, client_id: str) -> DossierLookupResult:
        if not self.client_limit.hit(client_id):
            return self._result("rate_limited", self.client_limit.retry_after(client_id))
        if not self.client_failure_limit.allowed(client_id):
            return self._result("rate_limited", self.client_failure_limit.retry_after(client_id))
        if not code:
            return self._result("invalid_code")
        if len(verification) != 4 or not verification.isdigit():
            return self._result("invalid_verification")
        mine = _client_code(code, client_id)
        for lock, key in ((self.client_code_lock, mine), (self.code_lock, code)):
            if lock.locked(key):
                return self._result("locked", lock.retry_after(key))
        if not self.code_limit.hit(code):
            return self._result("rate_limited", self.code_limit.retry_after(code))
        try:
            record = self.connector.lookup_dossier(code)
        except ConnectorError as exc:
            log.warning("one-stop-shop unavailable", extra={"code": code, "reason": str(exc)})
            return self._result("unavailable")
        except Exception:  # a connector bug must not reach the citizen as a trace
            log.exception("dossier connector failed unexpectedly", extra={"code": code})
            return self._result("unavailable")
        if record is None or not self._verified(record, verification):
            self.client_failure_limit.hit(client_id)
            self.client_code_lock.failure(mine)
            self.code_lock.failure(code)
            return self._result("not_found_or_mismatch")
        self.client_code_lock.success(mine)
        self.code_lock.success(code)
        return DossierLookupResult(
            outcome="ok", message=format_status(record.status, demo=self.demo),
            status=record.status
        )

    def _verified(self, record: DossierRecord, verification: str) -> bool:
        source = record.phone if self.verification_factor == "phone_last4" else record.id_number
        expected = last4(source)
        if not expected:
            log.warning("dossier has no %s to verify against", self.verification_factor,
                        extra={"code": record.status.code})
        # compare even when empty, so both paths take the same time
        return hmac.compare_digest(expected or "----", verification) and bool(expected)

    def _audit(self, client_id: str, code: str, outcome: str, started: float) -> None:
        event = AuditEvent(
            at=now_iso(),
            client_id=client_id,
            code=code,
            outcome=outcome,
            factor=self.verification_factor,
            latency_ms=round((time.perf_counter() - started) * 1000, 1),
        )
        try:
            self.audit.record(event)
        except Exception:  # an audit failure must not break the lookup, but must be visible
            log.exception("audit sink failed")
        log.info("dossier lookup", extra={"client": client_id, "code": code,
                                          "outcome": outcome})
