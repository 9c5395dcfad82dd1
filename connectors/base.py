"""The connector contract: a one-stop-shop system looked up by dossier code, and the record it
returns. Personal data needed to verify the asker (phone, ID number, full name) travels in
`DossierRecord` only as far as the dossier service (connectors.guard), never further: answers
carry `DossierRecord.status`, whose applicant name is already masked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from assistant.core.domain import DossierStatus
from assistant.core.text import fold_accents

# National-portal dossier status codes (1-10) and their official labels.
STATUS_LABELS: dict[int, str] = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

# What the applicant must do next, for the statuses that wait on them.
NEXT_ACTIONS: dict[int, str] = {
    5: "Bổ sung, hoàn thiện giấy tờ theo thông báo của cơ quan giải quyết (gửi qua tin nhắn, "
    "email hoặc tài khoản dịch vụ công), rồi nộp lại trực tuyến trên Cổng dịch vụ công hoặc "
    "tại Bộ phận tiếp nhận và trả kết quả. Thời hạn giải quyết được tính lại từ khi nhận đủ "
    "hồ sơ.",
    6: "Nộp phí, lệ phí theo thông báo (thanh toán trực tuyến trên Cổng dịch vụ công hoặc nộp "
    "tại Bộ phận tiếp nhận và trả kết quả) và giữ lại biên lai; hồ sơ được xử lý tiếp sau khi "
    "cơ quan nhận được khoản thanh toán.",
    9: "Kết quả đã sẵn sàng: mang giấy tiếp nhận hồ sơ và giấy tờ tùy thân đến Bộ phận tiếp "
    "nhận và trả kết quả để nhận, hoặc chờ nhận qua bưu chính nếu đã đăng ký.",
}

# Folded phrases seen in systems that return a status text instead of a number.
_LABEL_ALIASES: dict[str, int] = {
    "moi dang ky": 1,
    "cho tiep nhan": 1,
    "da tiep nhan": 2,
    "duoc tiep nhan": 2,
    "khong duoc tiep nhan": 3,
    "tu choi tiep nhan": 3,
    "khong tiep nhan": 3,
    "dang xu ly": 4,
    "dang giai quyet": 4,
    "cho phe duyet": 4,
    "yeu cau bo sung": 5,
    "bo sung ho so": 5,
    "cho bo sung": 5,
    "nghia vu tai chinh": 6,
    "cho thanh toan": 6,
    "rut ho so": 7,
    "dung xu ly": 8,
    "tam dung": 8,
    "da xu ly xong": 9,
    "co ket qua": 9,
    "cho tra ket qua": 9,
    "da tra ket qua": 10,
    "hoan thanh": 10,
}


def status_label(code: int) -> str:
    """The national label of a status code ('Không xác định' outside 1-10)."""
    return STATUS_LABELS.get(code, "Không xác định")


def status_from_text(text: str) -> int | None:
    """Map a free-text status ('Đang xử lý', 'dang xu ly', 'Đã trả kết quả') to 1-10."""
    folded = " ".join(fold_accents(text).lower().split())
    for alias in sorted(_LABEL_ALIASES, key=len, reverse=True):  # longest first: 'khong duoc…'
        if alias in folded:
            return _LABEL_ALIASES[alias]
    return None


@dataclass
class DossierRecord:
    """A dossier as the connector returns it: the shareable status (applicant name already
    masked) plus the private data the dossier service needs to verify the asker. The private
    fields are excluded from repr so they never reach a log line by accident."""

    status: DossierStatus
    phone: str = field(default="", repr=False)
    id_number: str = field(default="", repr=False)
    full_name: str = field(default="", repr=False)


@runtime_checkable
class StatusConnector(Protocol):
    """A one-stop-shop system. Returns None when no dossier has exactly this code; raises
    `assistant.core.errors.ConnectorError` when the system is down, slow or answers badly."""

    def lookup_dossier(self, code: str) -> DossierRecord | None: ...
