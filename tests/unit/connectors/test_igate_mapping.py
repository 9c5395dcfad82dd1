from datetime import date

from connectors.igate_mapping import map_dossier, parse_date, translated

TODAY = date(2025, 12, 15)


def _item(**overrides: object) -> dict:
    item = {
        "code": "000.00.21.H21-251031-0001",
        "procedure": {
            "code": "1.004616.000.00.00.H21",
            "translate": {"0": {"languageId": 46, "name": "Issue pharmacy certificate"},
                          "1": {"languageId": 228, "name": "Cấp Chứng chỉ hành nghề dược"}},
            "sector": {"name": [{"languageId": 228, "name": "Dược phẩm"}]},
        },
        "applicant": {"data": {"fullname": "Trần Thị Bích Hạnh", "phoneNumber": "0935442345",
                               "identityNumber": "064187220123"}},
        "dossierStatus": {"id": 4},
        "statusCurrentTask": "Chuyên viên thẩm định hồ sơ",
        "currentTask": [{"agency": {"name": [{"languageId": 228, "name": "Phòng Nghiệp vụ Dược"}]}}],
        "applyMethod": {"name": "Trực tiếp"},
        "appliedDate": "2025-10-31T14:29:00.000+0700",
        "appointmentDate": "2025-11-28T17:00:00.000+0700",
        "completedDate": None,
    }
    item.update(overrides)
    return item


def test_map_dossier_fills_status_fields_and_keeps_private_data_apart() -> None:
    record = map_dossier(_item(), TODAY)
    status = record.status
    assert status.procedure_name == "Cấp Chứng chỉ hành nghề dược"  # Vietnamese preferred
    assert status.field == "Dược phẩm"
    assert (status.status_code, status.status_label) == (4, "Đang xử lý")
    assert status.current_step == "Chuyên viên thẩm định hồ sơ"
    assert status.handling_unit == "Phòng Nghiệp vụ Dược"
    assert status.channel == "Trực tiếp"
    assert (status.received_date, status.due_date) == ("2025-10-31", "2025-11-28")
    assert status.applicant_masked == "T*** T*** B*** H***"
    assert record.phone == "0935442345" and record.id_number == "064187220123"
    assert "Hạnh" not in repr(status)


def test_map_dossier_counts_overdue_days_while_the_clock_runs() -> None:
    assert map_dossier(_item(), TODAY).status.overdue_days == 17


def test_map_dossier_no_overdue_while_waiting_on_the_applicant() -> None:
    record = map_dossier(_item(dossierStatus={"id": 5}), TODAY)
    assert record.status.overdue_days == 0
    assert "bổ sung" in record.status.next_action.lower()


def test_map_dossier_late_completion_counts_against_completion_date() -> None:
    item = _item(dossierStatus={"id": 9}, completedDate="2025-12-02T10:00:00.000+0700")
    assert map_dossier(item, TODAY).status.overdue_days == 4


def test_map_dossier_takes_status_from_text_when_no_number() -> None:
    item = _item(dossierStatus=None, statusCurrentTask="Đã trả kết quả")
    assert map_dossier(item, TODAY).status.status_code == 10


def test_parse_date_variants() -> None:
    assert parse_date("2025-11-20T08:15:00.000+0700") == date(2025, 11, 20)
    assert parse_date("20/11/2025") == date(2025, 11, 20)
    assert parse_date(None) is None and parse_date("soon") is None


def test_translated_accepts_strings_lists_and_dicts() -> None:
    assert translated("Tên") == "Tên"
    assert translated([{"languageId": 46, "name": "Name"}]) == "Name"
    assert translated({"name": "Đơn vị"}) == "Đơn vị"
    assert translated(None) == ""
