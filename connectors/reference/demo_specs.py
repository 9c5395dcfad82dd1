"""The scenarios of the demo dossiers (which the seed generates first)."""

from __future__ import annotations

from dataclasses import dataclass

from connectors.reference.people import Person  # noqa: F401


@dataclass(frozen=True)
class DemoSpec:
    scenario: str  # Vietnamese, shown in CLI help
    procedure_code: str
    status_code: int
    days_ago: int  # registration date = anchor minus this many days (moved off weekends)
    person: Person


DEMO_SPECS: tuple[DemoSpec, ...] = (
    DemoSpec("đang xử lý, còn hạn", "1.013614", 4, 7,
             Person("Nguyễn Văn An", "0905671234", "064085119012")),
    DemoSpec("đang xử lý, đã quá hạn", "1.004616", 4, 45,
             Person("Trần Thị Bích Hạnh", "0935442345", "064187220123")),
    DemoSpec("yêu cầu bổ sung giấy tờ", "2.000180", 5, 12,
             Person("Lê Hoàng Long", "0979083456", "064090331234")),
    DemoSpec("yêu cầu nộp phí, lệ phí", "1.003039", 6, 6,
             Person("Phạm Ngọc Mai", "0868124567", "064195442345")),
    DemoSpec("đã xử lý xong, chờ trả kết quả", "1.013618", 9, 20,
             Person("Ksor H'Bia", "0385915678", "064198553456")),
    DemoSpec("đã trả kết quả", "1.004593", 10, 40,
             Person("Võ Minh Tuấn", "0772036789", "064082664567")),
    DemoSpec("không được tiếp nhận", "1.003062", 3, 3,
             Person("Đặng Thu Trang", "0814507890", "064196775678")),
)
