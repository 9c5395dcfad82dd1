"""App fixtures for the UI/API unit tests: the real app built around fakes of the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from fakes.ui import make_chunk, make_services
from support.keys import ADMIN_KEY, STAFF_KEY
from fastapi.testclient import TestClient

from ui.api import create_app
from ui.keys import hash_key
from ui.services import Services


CHUNKS = [
    make_chunk("luatkcb", "luatkcb#13", "Giấy phép hành nghề khám bệnh chữa bệnh có thời hạn 5 năm",
               document_number="15/2023/QH15", article_path="Chương II › Điều 13"),
    make_chunk("tthc1", "1.013614", "Thủ tục cấp giấy phép hành nghề: lệ phí 300.000 đồng",
               article_label="Lệ phí"),
    make_chunk("noibo", "noibo#2", "Quy trình nội bộ tiếp nhận hồ sơ một cửa: mật khẩu hệ thống",
               audience="staff"),
]


@pytest.fixture
def services(data_dir: Path) -> Services:
    svc = make_services(
        data_dir, CHUNKS,
        admin_key_hashes=[hash_key(ADMIN_KEY)],
        staff_key_hashes=[hash_key(STAFF_KEY)],
        cors_origins=["https://dichvucong.gialai.gov.vn"],
        citizen_rate_per_minute=600,
        citizen_rate_burst=50,
        max_upload_mb=1,
    )
    yield svc
    svc.close()


@pytest.fixture
def client(services: Services) -> TestClient:
    with TestClient(create_app(services, with_ui=False)) as test_client:
        yield test_client


@pytest.fixture
def admin() -> dict[str, str]:
    return {"X-API-Key": ADMIN_KEY}


@pytest.fixture
def staff() -> dict[str, str]:
    return {"X-API-Key": STAFF_KEY}
