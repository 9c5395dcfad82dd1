from assistant.core.domain import DossierLookupResult
from assistant.dossier_flow import MAX_ASKS, DossierFlowState, handle
from assistant.router import route

CODE = "000.00.21.H21-251120-0001"


class FakeLookup:
    verification_factor = "phone_last4"

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def lookup(self, code: str, verification: str, client_id: str) -> DossierLookupResult:
        self.calls.append((code, verification, client_id))
        if verification == "1234":
            return DossierLookupResult("ok", f"Hồ sơ {code}: Đang xử lý")
        return DossierLookupResult("not_found_or_mismatch", "Không tìm thấy hồ sơ khớp")


def _turn(message: str, state: DossierFlowState | None, service: FakeLookup):
    return handle(message, route(message, state), state, service, "client-1")


def test_flow_asks_for_code_then_completes_with_code_and_factor() -> None:
    service = FakeLookup()
    answer, state = _turn("hồ sơ của tôi đến đâu rồi", None, service)
    assert answer.route == "dossier_status" and not answer.refused
    assert "mã hồ sơ" in answer.answer and "4 số cuối" in answer.answer
    assert state.awaiting == "code" and service.calls == []
    answer, state = _turn("000.00.21.H21-251120-0001 1234", state, service)
    assert service.calls == [(CODE, "1234", "client-1")]
    assert "Đang xử lý" in answer.answer and state == DossierFlowState()


def test_flow_asks_for_the_factor_when_only_the_code_is_given() -> None:
    service = FakeLookup()
    answer, state = _turn("tra cứu hồ sơ 000.00.21.h21-251120-0001", None, service)
    assert state.awaiting == "verification" and state.code == CODE
    assert CODE in answer.answer and service.calls == []
    answer, state = _turn("0905 671 234", state, service)
    assert service.calls == [(CODE, "1234", "client-1")]
    assert not answer.refused and state.awaiting == ""


def test_flow_failed_lookup_is_marked_refused_and_resets() -> None:
    answer, state = _turn(f"{CODE} 9999", None, FakeLookup())
    assert answer.refused and "Không tìm thấy" in answer.answer
    assert state == DossierFlowState()


def test_flow_explains_the_format_for_a_mistyped_code() -> None:
    service = FakeLookup()
    _, state = _turn("kiểm tra hồ sơ giúp tôi", None, service)
    answer, state = _turn("000.00.21.H21-2511-0001", state, service)
    assert "chưa đúng định dạng" in answer.answer and state.awaiting == "code"


def test_flow_state_never_holds_the_factor() -> None:
    _, state = _turn(f"{CODE}", None, FakeLookup())
    assert "1234" not in repr(state)


def test_flow_stops_waiting_after_max_asks() -> None:
    service, state = FakeLookup(), None
    for _ in range(MAX_ASKS):
        _, state = _turn("tra cứu hồ sơ", state, service)
    assert state == DossierFlowState()


def test_flow_uses_the_id_factor_wording() -> None:
    service = FakeLookup()
    service.verification_factor = "id_last4"
    answer, _ = _turn("xem trạng thái hồ sơ", None, service)
    assert "CCCD" in answer.answer

