import httpx
import pytest
from pydantic import SecretStr

from assistant.core.errors import ConnectorError
from connectors.igate import IGateConnector
from connectors.igate_auth import token_endpoint
from connectors.resilience import RetryPolicy
from fakes.clock import FakeClock

CODE = "000.00.21.H21-251120-0001"
SECRET = "very-secret-value"


class Upstream:
    """A scripted iGate: counts token and search calls; `search_statuses` are served first."""

    def __init__(self, items: list[dict] | None = None, expires_in: float = 300) -> None:
        self.items = items if items is not None else [{"code": CODE, "dossierStatus": {"id": 4}}]
        self.expires_in = expires_in
        self.search_statuses: list[int] = []
        self.tokens = 0
        self.searches = 0
        self.auth_headers: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/token"):
            self.tokens += 1
            return httpx.Response(200, json={"access_token": f"tok-{self.tokens}-zzz",
                                             "expires_in": self.expires_in})
        self.searches += 1
        self.auth_headers.append(request.headers["authorization"])
        if self.search_statuses:
            return httpx.Response(self.search_statuses.pop(0), json={})
        return httpx.Response(200, json={"content": self.items})


def _connector(upstream: Upstream, clock: FakeClock | None = None) -> IGateConnector:
    return IGateConnector(
        "https://igate.example", "troly", SecretStr(SECRET),
        retry=RetryPolicy(retries=1, backoff_s=0), clock=clock or FakeClock(),
        sleep=lambda s: None, transport=httpx.MockTransport(upstream),
    )


def test_token_endpoint_derivation() -> None:
    assert token_endpoint("https://api.x", "", "digo") == (
        "https://api.x/auth/realms/digo/protocol/openid-connect/token")
    assert token_endpoint("https://api.x", "https://sso.x/", "digo").startswith("https://sso.x/auth")
    full = "https://sso.x/auth/realms/r/protocol/openid-connect/token"
    assert token_endpoint("https://api.x", full, "digo") == full


def test_token_is_cached_and_refreshed_after_expiry() -> None:
    upstream, clock = Upstream(expires_in=100), FakeClock()
    connector = _connector(upstream, clock)
    connector.lookup_dossier(CODE)
    connector.lookup_dossier(CODE)
    assert upstream.tokens == 1
    clock.now += 100
    connector.lookup_dossier(CODE)
    assert upstream.tokens == 2 and upstream.auth_headers[-1] == "Bearer tok-2-zzz"


def test_401_refreshes_the_token_and_retries_once() -> None:
    upstream = Upstream()
    upstream.search_statuses = [401]
    assert _connector(upstream).lookup_dossier(CODE) is not None
    assert upstream.tokens == 2 and upstream.searches == 2


def test_persistent_401_is_a_connector_error() -> None:
    upstream = Upstream()
    upstream.search_statuses = [401, 401]
    with pytest.raises(ConnectorError, match="igate_client_id"):
        _connector(upstream).lookup_dossier(CODE)
    assert upstream.searches == 2


def test_only_the_exact_code_is_returned() -> None:
    upstream = Upstream(items=[{"code": "000.00.21.H21-251120-00011"},
                               {"code": "000.00.21.H21-251120-0002"}])
    assert _connector(upstream).lookup_dossier(CODE) is None


def test_5xx_is_retried_then_reported() -> None:
    upstream = Upstream()
    upstream.search_statuses = [503]
    assert _connector(upstream).lookup_dossier(CODE) is not None
    upstream.search_statuses = [500, 502]
    with pytest.raises(ConnectorError, match="One-stop-shop|one-stop-shop"):
        _connector(upstream).lookup_dossier(CODE)


def test_secret_and_token_never_appear_in_repr() -> None:
    upstream = Upstream()
    connector = _connector(upstream)
    connector.lookup_dossier(CODE)
    text = repr(connector) + repr(connector._tokens)
    assert SECRET not in text and "tok-1-zzz" not in text
