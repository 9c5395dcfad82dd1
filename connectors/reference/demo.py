"""Demo dossiers and credentials of the reference one-stop-shop service.

The demo dossiers are generated first, relative to the service's anchor date (the day its
database was seeded), so their codes carry that date: read the live list from the running
service (`ReferenceServer.demo`) or compute it with `demo_dossiers(anchor)`. Each has a fixed
applicant, so the verification factors below never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from connectors.reference.people import Person

DEMO_CLIENT_ID = "troly-demo"
DEMO_CLIENT_SECRET = "troly-demo-secret"  # reference service only, never a real credential
DEMO_REALM = "digo"


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


@dataclass(frozen=True)
class DemoDossier:
    code: str
    phone_last4: str
    id_last4: str
    scenario: str


def demo_dossiers(anchor: date) -> list[DemoDossier]:
    """The demo dossiers of a service seeded on `anchor` (same codes as in its database)."""
    from connectors.reference.seed import generate  # local: seed imports this module

    dossiers = generate(seed=0, anchor=anchor, count=0)
    return [
        DemoDossier(d.code, d.person.phone[-4:], d.person.id_number[-4:], spec.scenario)
        for d, spec in zip(dossiers, DEMO_SPECS, strict=True)
    ]


def demo_table(demos: list[DemoDossier]) -> str:
    """Plain-text table for CLI help and logs."""
    lines = ["Mã hồ sơ                     SĐT(4 số cuối)  CCCD(4 số cuối)  Tình huống"]
    for d in demos:
        lines.append(f"{d.code:<29}{d.phone_last4:<16}{d.id_last4:<17}{d.scenario}")
    return "\n".join(lines)
