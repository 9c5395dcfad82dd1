"""The iGate connector and the dossier service against the reference one-stop-shop service
over real HTTP on loopback (no shared data needed)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pydantic import SecretStr

from assistant.core.errors import ConnectorError
from assistant.core.settings import Settings
from connectors.audit import MemoryAuditSink
from connectors.guard import DossierService
from connectors.igate import IGateConnector
from connectors.reference import ReferenceServer, start_reference_server
from connectors.resilience import CircuitBreaker, RetryPolicy
from fakes.clock import FakeClock

ANCHOR = date(2025, 12, 15)
UNKNOWN = "000.00.21.H21-251215-9999"


@pytest.fixture(scope="module")
def server() -> Iterator[ReferenceServer]:
    handle = start_reference_server(anchor=ANCHOR, count=40, test_hooks=True)
    yield handle
    handle.stop()


@pytest.fixture(autouse=True)
def _clean(server: ReferenceServer) -> None:
    server.clear_faults()


def _connector(server: ReferenceServer, clock: FakeClock | None = None, *, timeout_s: float = 2.0,
               retries: int = 1, breaker: CircuitBreaker | None = None) -> IGateConnector:
    clock = clock or FakeClock(1000.0)
    return IGateConnector(
        server.url, server.client_id, SecretStr(server.client_secret), realm=server.realm,
        timeout_s=timeout_s, retry=RetryPolicy(retries=retries, backoff_s=0.01), clock=clock,
        breaker=breaker or CircuitBreaker(5, 30, clock=clock), today=lambda: ANCHOR,
    )


def _delta(server: ReferenceServer, before: dict[str, int]) -> dict[str, int]:
    return {k: v - before[k] for k, v in server.stats().items()}


def test_lookup_success_maps_the_dossier(server: ReferenceServer) -> None:
    demo = server.demo[1]  # processing, overdue
    record = _connector(server).lookup_dossier(demo.code.lower())
    assert record is not None
    assert record.status.code == demo.code and record.status.status_code == 4
    assert record.status.overdue_days > 0
    assert record.phone.endswith(demo.phone_last4)
    assert "***" in record.status.applicant_masked


def test_unknown_code_returns_none(server: ReferenceServer) -> None:
    assert _connector(server).lookup_dossier(UNKNOWN) is None


def test_token_is_reused_then_refreshed_after_expiry(server: ReferenceServer) -> None:
    clock = FakeClock(1000.0)
    connector = _connector(server, clock)
    before = server.stats()
    connector.lookup_dossier(server.demo[0].code)
    connector.lookup_dossier(server.demo[0].code)
    assert _delta(server, before)["token_requests"] == 1
    clock.now += 300  # the reference service's token lifetime
    assert connector.lookup_dossier(server.demo[0].code) is not None
    assert _delta(server, before)["token_requests"] == 2


def test_revoked_token_gets_401_then_refresh_and_one_retry(server: ReferenceServer) -> None:
    connector = _connector(server)
    connector.lookup_dossier(server.demo[0].code)
    server.revoke_tokens()
    before = server.stats()
    assert connector.lookup_dossier(server.demo[0].code) is not None
    assert _delta(server, before) == {"search_requests": 2, "token_requests": 1}


def test_persistent_401_raises_after_one_retry(server: ReferenceServer) -> None:
    connector = _connector(server)
    server.inject("unauthorized", count=2)
    before = server.stats()
    with pytest.raises(ConnectorError):
        connector.lookup_dossier(server.demo[0].code)
    assert _delta(server, before)["search_requests"] == 2


def test_http_404_means_not_found(server: ReferenceServer) -> None:
    server.inject("not_found")
    assert _connector(server).lookup_dossier(server.demo[0].code) is None


def test_500_is_retried_and_succeeds(server: ReferenceServer) -> None:
    server.inject("error500", count=1)
    before = server.stats()
    assert _connector(server).lookup_dossier(server.demo[0].code) is not None
    assert _delta(server, before)["search_requests"] == 2


def test_500_beyond_retries_raises(server: ReferenceServer) -> None:
    server.inject("error500", count=3)
    with pytest.raises(ConnectorError, match="HTTP 500"):
        _connector(server, retries=1).lookup_dossier(server.demo[0].code)


def test_timeout_is_retried_then_raises(server: ReferenceServer) -> None:
    connector = _connector(server, timeout_s=0.2)
    connector.lookup_dossier(server.demo[0].code)  # token fetched before the slow phase
    server.inject("slow", count=2, delay_s=0.6)
    with pytest.raises(ConnectorError, match="timeout"):
        connector.lookup_dossier(server.demo[0].code)


def test_one_slow_response_is_survived_by_the_retry(server: ReferenceServer) -> None:
    connector = _connector(server, timeout_s=0.2)
    connector.lookup_dossier(server.demo[0].code)
    server.inject("slow", count=1, delay_s=0.6)
    assert connector.lookup_dossier(server.demo[0].code) is not None


def test_malformed_json_raises_without_retry(server: ReferenceServer) -> None:
    server.inject("malformed", count=5)
    before = server.stats()
    with pytest.raises(ConnectorError, match="JSON"):
        _connector(server).lookup_dossier(server.demo[0].code)
    assert _delta(server, before)["search_requests"] == 1


def test_circuit_breaker_opens_then_recovers(server: ReferenceServer) -> None:
    clock = FakeClock(1000.0)
    breaker = CircuitBreaker(failure_threshold=2, reset_timeout_s=30, clock=clock)
    connector = _connector(server, clock, retries=0, breaker=breaker)
    server.inject("error500", count=100)
    for _ in range(2):
        with pytest.raises(ConnectorError):
            connector.lookup_dossier(server.demo[0].code)
    before = server.stats()
    with pytest.raises(ConnectorError, match="Circuit open"):
        connector.lookup_dossier(server.demo[0].code)
    assert _delta(server, before)["search_requests"] == 0  # the open circuit sent nothing
    clock.now += 30
    with pytest.raises(ConnectorError):  # half-open trial fails: open again
        connector.lookup_dossier(server.demo[0].code)
    assert breaker.state == "open"
    server.clear_faults()
    clock.now += 30
    assert connector.lookup_dossier(server.demo[0].code) is not None
    assert breaker.state == "closed"


def _service(server: ReferenceServer, audit: MemoryAuditSink) -> DossierService:
    return DossierService(_connector(server), contact="SYT 0269 3824 118", audit=audit)


def test_guarded_lookup_same_answer_for_wrong_factor_and_unknown_code(
    server: ReferenceServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    audit = MemoryAuditSink()
    service = _service(server, audit)
    demo = server.demo[2]
    ok = service.lookup(demo.code, demo.phone_last4, "web-1")
    wrong = service.lookup(demo.code, "0000" if demo.phone_last4 != "0000" else "1111", "web-2")
    unknown = service.lookup(UNKNOWN, demo.phone_last4, "web-3")
    assert ok.outcome == "ok" and ok.status is not None and ok.status.status_code == 5
    assert (wrong.outcome, wrong.message) == (unknown.outcome, unknown.message)
    row = server.store.find(demo.code)
    assert row is not None
    logged = caplog.text + " ".join(str(vars(r)) for r in caplog.records)
    for secret in (row.phone, row.id_number, row.applicant_name):
        assert secret not in logged
        assert secret not in ok.message
        assert all(secret not in str(e) for e in audit.events)


def test_guarded_lookup_unavailable_when_upstream_fails(server: ReferenceServer) -> None:
    server.inject("error500", count=10)
    result = _service(server, MemoryAuditSink()).lookup(server.demo[0].code,
                                                        server.demo[0].phone_last4, "w")
    assert result.outcome == "unavailable" and "0269 3824 118" in result.message


def test_cli_dossier_command_uses_the_reference_service(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from assistant.cli.dossier import register
    from connectors.reference.demo import demo_dossiers

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    demo = demo_dossiers(date.today())[0]
    args = parser.parse_args(["dossier", *demo.code.lower().split("-"), "--verify",
                              demo.phone_last4, "--json"])
    code = args.handler(args, Settings(data_dir=tmp_path, igate_base_url=""))
    out = capsys.readouterr().out
    assert code == 0 and '"outcome": "ok"' in out and demo.code in out
    assert (tmp_path / "audit" / "dossier_lookups.jsonl").exists()
