"""OAuth2 client-credentials tokens from a Keycloak realm (VNPT iGate uses realm `digo`),
cached until shortly before they expire. The secret and the token never appear in a repr or
a log line."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import httpx
from pydantic import SecretStr

from assistant.core.errors import ConnectorError


class RetryableError(Exception):
    """A failure worth another attempt (timeout, connection error, HTTP 5xx)."""


def token_endpoint(base_url: str, token_url: str, realm: str) -> str:
    """`token_url` when it is a full token URL, else the Keycloak token path under
    `token_url` (an SSO root) or under `base_url`."""
    if token_url.rstrip("/").endswith("/token"):
        return token_url.rstrip("/")
    root = (token_url or base_url).rstrip("/")
    return f"{root}/auth/realms/{realm}/protocol/openid-connect/token"


class ClientCredentialsToken:
    """Fetches and caches a bearer token; `invalidate()` after a 401 forces a new one."""

    def __init__(
        self,
        url: str,
        client_id: str,
        client_secret: SecretStr,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.client_id = client_id
        self._secret = client_secret
        self._clock = clock
        self._lock = threading.Lock()
        self._token: SecretStr | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"ClientCredentialsToken(url={self.url!r}, client_id={self.client_id!r})"

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def get(self, client: httpx.Client) -> str:
        """A valid access token, fetching a new one when none is cached or it expired."""
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at:
                self._fetch(client)
            assert self._token is not None
            return self._token.get_secret_value()

    def _fetch(self, client: httpx.Client) -> None:
        try:
            response = client.post(
                self.url,
                data={"grant_type": "client_credentials"},
                auth=(self.client_id, self._secret.get_secret_value()),
            )
        except httpx.TimeoutException as exc:
            raise RetryableError("token endpoint timed out") from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"token endpoint unreachable: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise RetryableError(f"token endpoint HTTP {response.status_code}")
        if response.status_code in (400, 401, 403):
            raise ConnectorError(
                "Hệ thống một cửa từ chối thông tin xác thực (igate_client_id, "
                "igate_client_secret, igate_realm) / The one-stop-shop rejected the client "
                f"credentials (HTTP {response.status_code} from {self.url})"
            )
        try:
            payload = response.json()
            token = str(payload["access_token"])
            expires_in = float(payload.get("expires_in", 300))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConnectorError(
                f"Máy chủ cấp token trả dữ liệu không hợp lệ ({self.url}) / The token endpoint "
                f"returned an invalid response (HTTP {response.status_code})"
            ) from exc
        skew = min(30.0, expires_in * 0.1)
        self._token = SecretStr(token)
        self._expires_at = self._clock() + max(0.0, expires_in - skew)
