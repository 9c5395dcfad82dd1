from assistant.core.domain import DossierStatus
from connectors.format import format_status, vn_date


def _status(**overrides: object) -> DossierStatus:
    fields = dict(
        code="000.00.21.H21-251031-0001", procedure_code="1.004616",
        procedure_name="Cấp Chứng chỉ hành nghề dược", field="Dược phẩm", status_code=4,
        status_label="Đang xử lý", current_step="Chuyên viên thẩm định hồ sơ",
        handling_unit="Phòng Nghiệp vụ Dược", channel="Trực tiếp",
        applicant_masked="T*** T*** H***", received_date="2025-10-31", due_date="2025-11-28",
    )
    fields.update(overrides)
    return DossierStatus(**fields)  # type: ignore[arg-type]


def test_format_status_lists_label_step_unit_and_dates() -> None:
    text = format_status(_status())
    for expected in ("000.00.21.H21-251031-0001", "Cấp Chứng chỉ hành nghề dược", "Đang xử lý",
                     "Chuyên viên thẩm định hồ sơ (Phòng Nghiệp vụ Dược)", "31/10/2025",
                     "28/11/2025", "T*** T*** H***"):
        assert expected in text
    assert "chưa cần làm gì" in text


def test_format_status_reports_overdue_days() -> None:
    text = format_status(_status(overdue_days=17))
    assert "quá hạn 17 ngày" in text
    assert "chưa cần làm gì" not in text


def test_format_status_tells_what_to_do_for_status_5_and_6() -> None:
    text = format_status(_status(status_code=6, status_label="Yêu cầu thực hiện nghĩa vụ tài chính",
                                 next_action="Nộp phí, lệ phí theo thông báo"))
    assert "Việc cần làm: Nộp phí, lệ phí theo thông báo" in text


def test_format_status_hides_due_date_for_refused_dossiers() -> None:
    text = format_status(_status(status_code=3, status_label="Không được tiếp nhận"))
    assert "hẹn trả" not in text and "nộp lại" in text


def test_vn_date_formats_iso_and_passes_through_odd_values() -> None:
    assert vn_date("2025-01-05") == "05/01/2025"
    assert vn_date("") == "" and vn_date("sắp tới") == "sắp tới"


def test_format_status_labels_a_demo_record_as_demo() -> None:
    from connectors.format import DEMO_DOSSIER_ORIGIN

    lines = format_status(_status(), demo=True).splitlines()
    assert lines[1] == f"• Nguồn: {DEMO_DOSSIER_ORIGIN}"  # right under the title
    assert "mẫu DEMO" in lines[1] and "không phải" in lines[1]
    assert "DEMO" not in format_status(_status())
