"""HTTP connector for VNPT iGate-style one-stop-shop APIs: client-credentials token (cached,
refreshed on expiry, and once more on a 401), dossier search by code, retries with exponential
backoff on timeouts and 5xx, and a circuit breaker. Errors become `ConnectorError`."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
from pydantic import SecretStr

from assistant.core.errors import ConnectorError
from connectors.base import DossierRecord
from assistant.core.dossier_codes import normalize_code
from connectors.igate_auth import ClientCredentialsToken, RetryableError, token_endpoint
from connectors.igate_mapping import map_dossier
from connectors.resilience import CircuitBreaker, RetryPolicy

log = logging.getLogger(__name__)

SEARCH_PATH = "/pa/dossier-search/dvc"


class IGateConnector:
    """`StatusConnector` over HTTP. The httpx client is created on first use."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: SecretStr,
        *,
        token_url: str = "",
        realm: str = "digo",
        timeout_s: float = 5.0,
        retry: RetryPolicy | None = None,
        breaker: CircuitBreaker | None = None,
        search_path: str = SEARCH_PATH,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        today: Callable[[], date] = date.today,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not base_url:
            raise ConnectorError(
                "Chưa cấu hình địa chỉ hệ thống một cửa (igate_base_url) / "
                "igate_base_url is not set"
            )
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()
        self.breaker = breaker or CircuitBreaker(clock=clock)
        self.search_path = search_path
        self._tokens = ClientCredentialsToken(
            token_endpoint(self.base_url, token_url, realm), client_id, client_secret, clock=clock
        )
        self._sleep = sleep
        self._today = today
        self._transport = transport
        self._client: httpx.Client | None = None
        self._client_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"IGateConnector(base_url={self.base_url!r}, token={self._tokens!r})"

    def _http(self) -> httpx.Client:
        with self._client_lock:
            if self._client is None:
                self._client = httpx.Client(timeout=self.timeout_s, transport=self._transport)
            return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def lookup_dossier(self, code: str) -> DossierRecord | None:
        canonical = normalize_code(code) or code.strip()
        if not self.breaker.allow():
            raise ConnectorError(
                "Tạm ngừng truy vấn hệ thống một cửa sau nhiều lỗi liên tiếp; thử lại sau "
                f"{self.breaker.retry_after_s():.0f} giây / Circuit open after repeated "
                f"failures of {self.base_url}"
            )
        try:
            record = self._with_retries(canonical)
        except Exception:  # any failure ends a half-open trial, not only ConnectorError
            self.breaker.record_failure()
            raise
        self.breaker.record_success()
        return record

    def _with_retries(self, code: str) -> DossierRecord | None:
        last = RetryableError("no attempt made")
        for attempt in range(self.retry.retries + 1):
            try:
                return self._attempt(code)
            except RetryableError as exc:
                log.warning(
                    "one-stop-shop attempt failed",
                    extra={"attempt": attempt + 1, "reason": str(exc)},
                )
                last = exc
                if attempt < self.retry.retries:
                    self._sleep(self.retry.delay(attempt + 1))
        raise ConnectorError(
            f"Hệ thống một cửa không phản hồi hoặc đang lỗi ({last}; igate_base_url, "
            f"igate_timeout_s={self.timeout_s}) / The one-stop-shop system is unavailable "
            f"after {self.retry.retries + 1} attempts"
        ) from last

    def _attempt(self, code: str) -> DossierRecord | None:
        response = self._search(code)
        if response.status_code == 401:  # token revoked or expired early: refresh once
            self._tokens.invalidate()
            response = self._search(code)
            if response.status_code == 401:
                raise ConnectorError(
                    "Hệ thống một cửa từ chối token truy cập (igate_client_id, "
                    "igate_client_secret) / The one-stop-shop rejected a fresh access token"
                )
        if response.status_code == 404:
            return None
        if response.status_code >= 500:
            raise RetryableError(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise ConnectorError(
                f"Hệ thống một cửa trả lỗi HTTP {response.status_code} ({self.search_path}) / "
                f"The one-stop-shop answered HTTP {response.status_code}"
            )
        return self._pick(code, self._json(response))

    def _search(self, code: str) -> httpx.Response:
        client = self._http()
        token = self._tokens.get(client)
        params = {"page": 0, "size": 10, "spec": "slice", "code": code}
        try:
            return client.get(
                f"{self.base_url}{self.search_path}",
                params=params,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
        except httpx.TimeoutException as exc:
            raise RetryableError(f"timeout after {self.timeout_s}s") from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"connection error {type(exc).__name__}") from exc

    def _json(self, response: httpx.Response) -> list[Any]:
        try:
            content = response.json()["content"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectorError(
                "Hệ thống một cửa trả dữ liệu không đúng định dạng JSON (content[]) / The "
                f"one-stop-shop returned malformed JSON ({self.search_path})"
            ) from exc
        if not isinstance(content, list):
            raise ConnectorError(
                "Hệ thống một cửa trả 'content' không phải danh sách / 'content' is not a list"
            )
        return content

    def _pick(self, code: str, content: list[Any]) -> DossierRecord | None:
        """Only a dossier whose code is exactly the one asked for (search may match more)."""
        for item in content:
            if isinstance(item, dict) and normalize_code(str(item.get("code", ""))) == code:
                try:
                    return map_dossier(item, self._today())
                except (TypeError, ValueError, AttributeError) as exc:
                    raise ConnectorError(
                        "Hệ thống một cửa trả hồ sơ thiếu hoặc sai trường dữ liệu / The "
                        "one-stop-shop returned a dossier with unexpected fields"
                    ) from exc
        return None
