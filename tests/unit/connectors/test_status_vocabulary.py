import pytest

from assistant.core.domain import DossierStatus
from connectors.base import (
    NEXT_ACTIONS,
    STATUS_LABELS,
    DossierRecord,
    StatusConnector,
    status_from_text,
    status_label,
)


def test_status_labels_cover_the_national_scale() -> None:
    assert sorted(STATUS_LABELS) == list(range(1, 11))
    assert status_label(5) == "Yêu cầu bổ sung giấy tờ"
    assert status_label(42) == "Không xác định"


def test_next_actions_exist_for_statuses_waiting_on_the_applicant() -> None:
    assert "bổ sung" in NEXT_ACTIONS[5].lower()
    assert "phí" in NEXT_ACTIONS[6].lower()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Đang xử lý", 4),
        ("dang xu ly", 4),
        ("Không được tiếp nhận", 3),
        ("Được tiếp nhận", 2),
        ("Đã trả kết quả", 10),
        ("Yêu cầu bổ sung hồ sơ", 5),
        ("Chờ thực hiện nghĩa vụ tài chính", 6),
        ("Đã xử lý xong", 9),
    ],
)
def test_status_from_text_maps_labels_with_and_without_accents(text: str, code: int) -> None:
    assert status_from_text(text) == code


def test_status_from_text_unknown_text_gives_none() -> None:
    assert status_from_text("abc xyz") is None


def test_dossier_record_repr_hides_private_fields() -> None:
    status = DossierStatus("C", "P", "name", "field", 4, "Đang xử lý", applicant_masked="N*** A***")
    record = DossierRecord(status, phone="0905671234", id_number="064085119012",
                           full_name="Nguyễn An")
    text = repr(record)
    assert "0905671234" not in text and "064085119012" not in text and "Nguyễn An" not in text
    assert "N*** A***" in text


def test_status_connector_protocol_is_runtime_checkable() -> None:
    class Fake:
        def lookup_dossier(self, code: str) -> DossierRecord | None:
            return None

    assert isinstance(Fake(), StatusConnector)
