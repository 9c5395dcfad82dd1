import json
import logging
from pathlib import Path

import pytest

from assistant.core.domain import DossierStatus
from assistant.core.errors import ConfigError, ConnectorError
from connectors.audit import JsonlAuditSink, MemoryAuditSink
from connectors.base import DossierRecord
from connectors.guard import DossierService
from connectors.ratelimit import FailureLock, SlidingWindowLimiter
from fakes.clock import FakeClock

CODE = "000.00.21.H21-251120-0001"
OTHER = "000.00.21.H21-251120-0002"
PHONE, ID_NUMBER, NAME = "0905671234", "064085119012", "Nguyễn Văn An"
CONTACT = "Văn phòng Sở Y tế 0269 3824 118"


class FakeConnector:
    def __init__(self, error: Exception | None = None) -> None:
        status = DossierStatus(CODE, "1.013614", "Cấp mới giấy phép hành nghề", "KBCB", 4,
                               "Đang xử lý", current_step="Thẩm định", applicant_masked="N*** V*** A***")
        self.records = {CODE: DossierRecord(status, PHONE, ID_NUMBER, NAME)}
        self.error = error
        self.calls: list[str] = []

    def lookup_dossier(self, code: str) -> DossierRecord | None:
        self.calls.append(code)
        if self.error:
            raise self.error
        return self.records.get(code)


def _service(connector: FakeConnector | None = None, **kwargs: object) -> DossierService:
    kwargs.setdefault("audit", MemoryAuditSink())
    return DossierService(connector or FakeConnector(), contact=CONTACT, **kwargs)  # type: ignore[arg-type]


def test_lookup_ok_with_phone_last4_and_messy_code() -> None:
    result = _service().lookup("000.00.21.h21 - 251120 - 0001", "1234", "c1")
    assert result.outcome == "ok"
    assert result.status is not None and result.status.code == CODE
    assert "Đang xử lý" in result.message and NAME not in result.message


def test_wrong_factor_and_unknown_code_give_the_same_answer() -> None:
    service = _service()
    wrong = service.lookup(CODE, "9999", "c1")
    unknown = service.lookup(OTHER, "1234", "c2")
    assert wrong.outcome == unknown.outcome == "not_found_or_mismatch"
    assert wrong.message == unknown.message
    assert wrong.status is None and unknown.status is None


def test_id_last4_factor_checks_the_id_number() -> None:
    service = _service(verification_factor="id_last4")
    assert service.lookup(CODE, "9012", "c1").outcome == "ok"
    assert service.lookup(CODE, "1234", "c1").outcome == "not_found_or_mismatch"


def test_unknown_factor_setting_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="verification_factor"):
        _service(verification_factor="birthday")


def test_invalid_code_and_invalid_factor_do_not_reach_the_connector() -> None:
    connector = FakeConnector()
    service = _service(connector)
    assert service.lookup("hồ sơ của tôi", "1234", "c1").outcome == "invalid"
    assert service.lookup(CODE, "12a4", "c1").outcome == "invalid"
    assert connector.calls == []


def test_enumeration_from_one_client_hits_the_limit() -> None:
    connector = FakeConnector()
    service = _service(connector)
    outcomes = [
        service.lookup(f"000.00.21.H21-251120-{i:04d}", "0000", "prober").outcome
        for i in range(100, 130)
    ]
    assert "rate_limited" in outcomes
    assert outcomes.count("not_found_or_mismatch") <= 10  # client failure budget
    assert len(connector.calls) <= 10
    assert service.lookup(CODE, "1234", "someone-else").outcome == "ok"


def test_per_code_limit_applies_across_clients() -> None:
    service = _service(code_limit=SlidingWindowLimiter(3, 600))
    outcomes = [service.lookup(CODE, "1234", f"client-{i}").outcome for i in range(4)]
    assert outcomes == ["ok", "ok", "ok", "rate_limited"]


def test_repeated_failures_lock_the_code_even_for_the_right_factor() -> None:
    clock = FakeClock()
    service = _service(code_lock=FailureLock(3, 900, clock=clock))
    for i in range(3):
        service.lookup(CODE, "0000", f"attacker-{i}")
    locked = service.lookup(CODE, "1234", "owner")
    assert locked.outcome == "locked" and CONTACT in locked.message
    clock.now += 900
    assert service.lookup(CODE, "1234", "owner").outcome == "ok"


def test_unknown_codes_lock_the_same_way_as_known_ones() -> None:
    service = _service(code_lock=FailureLock(2, 900, clock=FakeClock()))
    for code in (CODE, OTHER):
        service.lookup(code, "0000", "a")
        service.lookup(code, "0000", "b")
    assert service.lookup(CODE, "0000", "c").message == service.lookup(OTHER, "0000", "c").message


def test_connector_error_gives_unavailable_with_contact_and_no_trace() -> None:
    service = _service(FakeConnector(ConnectorError("Hệ thống một cửa không phản hồi / timeout")))
    result = service.lookup(CODE, "1234", "c1")
    assert result.outcome == "unavailable"
    assert CONTACT in result.message
    assert "Traceback" not in result.message and "timeout" not in result.message


def test_unexpected_connector_bug_also_gives_unavailable() -> None:
    result = _service(FakeConnector(KeyError("boom"))).lookup(CODE, "1234", "c1")
    assert result.outcome == "unavailable" and "boom" not in result.message


def test_every_lookup_is_audited_without_personal_data() -> None:
    audit = MemoryAuditSink()
    service = _service(audit=audit)
    service.lookup(CODE, "1234", "c1")
    service.lookup(OTHER, "9999", "c1")
    service.lookup("garbage", "1234", "c2")
    assert [(e.client_id, e.code, e.outcome) for e in audit.events] == [
        ("c1", CODE, "ok"), ("c1", OTHER, "not_found_or_mismatch"), ("c2", "", "invalid")
    ]
    dumped = json.dumps([e.__dict__ for e in audit.events], ensure_ascii=False)
    for secret in (PHONE, ID_NUMBER, NAME, "1234", "9999"):
        assert secret not in dumped


def test_jsonl_audit_sink_writes_one_line_per_lookup(tmp_path: Path) -> None:
    path = tmp_path / "audit" / "lookups.jsonl"
    service = _service(audit=JsonlAuditSink(path))
    service.lookup(CODE, "1234", "c1")
    service.lookup(CODE, "0000", "c1")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [line["outcome"] for line in lines] == ["ok", "not_found_or_mismatch"]
    assert PHONE not in path.read_text(encoding="utf-8")


def test_logs_contain_no_unmasked_personal_data(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    service = _service()
    service.lookup(CODE, "1234", "c1")
    service.lookup(CODE, "0000", "c1")
    _service(FakeConnector(ConnectorError("down"))).lookup(CODE, "1234", "c1")
    logged = caplog.text + " ".join(str(vars(r)) for r in caplog.records)
    assert CODE in logged  # the lookups were logged
    for secret in (PHONE, ID_NUMBER, NAME, "Nguyễn"):
        assert secret not in logged


def test_audit_sink_failure_does_not_break_the_lookup() -> None:
    class Broken:
        def record(self, event: object) -> None:
            raise OSError("disk full")

    assert _service(audit=Broken()).lookup(CODE, "1234", "c1").outcome == "ok"


def test_a_whole_phone_number_counts_as_its_last_four_digits() -> None:
    assert _service().lookup(CODE, "0905 671 234", "c1").outcome == "ok"
    assert _service().lookup(CODE, "123", "c1").outcome == "invalid"


def test_dossier_from_the_reference_service_is_labelled_demo(tmp_path: Path) -> None:
    from assistant.core.settings import Settings
    from assistant.app.dossier import build_dossier_service
    from connectors.format import DEMO_DOSSIER_ORIGIN

    assert DEMO_DOSSIER_ORIGIN in _service(demo=True).lookup(CODE, "1234", "c1").message
    assert "DEMO" not in _service().lookup(CODE, "1234", "c1").message
    reference = build_dossier_service(Settings(_env_file=None, data_dir=tmp_path),
                                      "http://127.0.0.1:1", audit=MemoryAuditSink())
    igate = build_dossier_service(
        Settings(_env_file=None, data_dir=tmp_path, igate_base_url="http://igate.example"),
        audit=MemoryAuditSink())
    assert reference.demo and not igate.demo
