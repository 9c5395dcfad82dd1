"""One contract for every way troly reads a one-stop-shop (StatusConnector): the iGate HTTP
connector against the reference service over loopback HTTP, and the same connector served the
reference app in process (no socket). The reference service has no client of its own: troly
reaches it, like a real iGate, only through IGateConnector (assistant/app/dossier.py). Same
seeded codes give the same DossierStatus; unknown codes give None; bad credentials, a failing
service and a slow one become ConnectorError."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from pydantic import SecretStr
from support.asgi_transport import InProcessTransport

from assistant.core.errors import ConnectorError
from connectors.base import DossierRecord, StatusConnector
from connectors.igate import IGateConnector
from connectors.reference import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REALM, demo_dossiers
from connectors.reference.server import ReferenceApp, build_reference_app, start_reference_server
from connectors.resilience import CircuitBreaker, RetryPolicy

ANCHOR = date(2025, 12, 15)
UNKNOWN = "000.00.21.H21-251215-9999"
IMPLEMENTATIONS = ("igate_http", "igate_in_process")
Make = Callable[..., StatusConnector]


class Reference:
    """The reference service behind one implementation: how to reach it and its fault board."""

    def __init__(self, ref: ReferenceApp | None = None, server=None) -> None:
        self.server, self.ref = server, ref
        self.faults = server.faults if server else ref.faults  # type: ignore[union-attr]
        self.url = server.url if server else "http://reference.test"
        self.transport = None if server else InProcessTransport(ref.app)  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def references() -> Iterator[dict[str, Reference]]:
    server = start_reference_server(anchor=ANCHOR, count=40, test_hooks=True)
    in_process = Reference(ref=build_reference_app(anchor=ANCHOR, count=40, test_hooks=True))
    yield {"igate_http": Reference(server=server), "igate_in_process": in_process}
    in_process.transport.shutdown()
    in_process.ref.store.close()
    server.stop()


@pytest.fixture(params=IMPLEMENTATIONS)
def reference(request: pytest.FixtureRequest, references: dict[str, Reference]) -> Iterator[Reference]:
    chosen = references[request.param]
    chosen.faults.clear()
    yield chosen
    chosen.faults.clear()


@pytest.fixture
def make(reference: Reference) -> Iterator[Make]:
    opened: list[IGateConnector] = []

    def _make(*, secret: str = DEMO_CLIENT_SECRET, timeout_s: float = 2.0, retries: int = 1) -> StatusConnector:
        connector = IGateConnector(
            reference.url, DEMO_CLIENT_ID, SecretStr(secret), realm=DEMO_REALM, timeout_s=timeout_s,
            retry=RetryPolicy(retries=retries, backoff_s=0.01), breaker=CircuitBreaker(50, 30),
            today=lambda: ANCHOR, transport=reference.transport,
        )
        opened.append(connector)
        return connector

    yield _make
    for connector in opened:
        connector.close()


def _lookup_all(connector: StatusConnector) -> list[DossierRecord | None]:
    return [connector.lookup_dossier(demo.code) for demo in demo_dossiers(ANCHOR)]


def test_status_connector_satisfies_the_protocol(make: Make) -> None:
    assert isinstance(make(), StatusConnector)


def test_status_connector_finds_every_seeded_demo_code(make: Make) -> None:
    demos = demo_dossiers(ANCHOR)
    records = _lookup_all(make())
    assert all(record is not None for record in records)
    for demo, record in zip(demos, records):
        assert record.status.code == demo.code
        assert record.phone.endswith(demo.phone_last4) and record.id_number.endswith(demo.id_last4)
        assert 1 <= record.status.status_code <= 10 and record.status.status_label
        assert "***" in record.status.applicant_masked


def test_status_connector_normalises_the_code_it_is_given(make: Make) -> None:
    connector = make()
    code = demo_dossiers(ANCHOR)[1].code
    assert connector.lookup_dossier(f"  {code.lower()} ") == connector.lookup_dossier(code)


def test_status_connector_unknown_code_is_none(make: Make) -> None:
    assert make().lookup_dossier(UNKNOWN) is None


def test_status_connector_wrong_credentials_are_a_connector_error(make: Make) -> None:
    with pytest.raises(ConnectorError):
        make(secret="not-the-secret").lookup_dossier(demo_dossiers(ANCHOR)[0].code)


def test_status_connector_failing_service_is_a_connector_error(make: Make, reference: Reference) -> None:
    reference.faults.inject("error500", count=10)
    with pytest.raises(ConnectorError):
        make(retries=1).lookup_dossier(demo_dossiers(ANCHOR)[0].code)


def test_status_connector_malformed_answer_is_a_connector_error(make: Make, reference: Reference) -> None:
    reference.faults.inject("malformed", count=10)
    with pytest.raises(ConnectorError):
        make(retries=0).lookup_dossier(demo_dossiers(ANCHOR)[0].code)


def test_status_connector_slow_service_is_a_connector_error(make: Make, reference: Reference) -> None:
    if reference.server is None:
        pytest.skip("an in-process app has no network timeout to hit")
    connector = make(timeout_s=0.2, retries=0)
    connector.lookup_dossier(demo_dossiers(ANCHOR)[0].code)  # token fetched before the slow phase
    reference.faults.inject("slow", count=1, delay_s=0.6)
    with pytest.raises(ConnectorError, match="timeout"):
        connector.lookup_dossier(demo_dossiers(ANCHOR)[0].code)


def test_status_connectors_agree_on_every_seeded_code(references: dict[str, Reference]) -> None:
    answers = []
    for name in IMPLEMENTATIONS:
        ref = references[name]
        connector = IGateConnector(ref.url, DEMO_CLIENT_ID, SecretStr(DEMO_CLIENT_SECRET),
                                   realm=DEMO_REALM, today=lambda: ANCHOR, transport=ref.transport)
        answers.append(_lookup_all(connector) + [connector.lookup_dossier(UNKNOWN)])
        connector.close()
    assert answers[0] == answers[1]
