"""The abuse suite: troly served by uvicorn on a loopback port, attacked as an attacker would
(over real HTTP). `gradio_troly` is the real app with the Gradio UI around fake services
(fast); `abused_troly` (tests marked slow) is the real pipeline with the real model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.abuse

ADMIN_KEY = "abuse-khoa-quan-tri"
STAFF_KEY = "abuse-khoa-can-bo"


@dataclass
class Served:
    url: str
    services: object  # ui.services.Services
    gradio_dir: Path
    admin_key: str = ADMIN_KEY
    staff_key: str = STAFF_KEY

    @property
    def admin(self) -> dict[str, str]:
        return {"X-API-Key": self.admin_key}


@pytest.fixture
def gradio_troly(tmp_path: Path) -> Iterator[Served]:
    from fakes_ui import make_chunk, make_services

    from ui.api import create_app
    from ui.keys import hash_key
    from ui.live import LiveServer

    gradio_dir = tmp_path / "gradio-cache"
    old = os.environ.get("GRADIO_TEMP_DIR")
    os.environ["GRADIO_TEMP_DIR"] = str(gradio_dir)
    data = tmp_path / "data"
    services = make_services(
        data, [make_chunk("luat", "luat#1", "Giấy phép hành nghề có thời hạn 5 năm")],
        admin_key_hashes=[hash_key(ADMIN_KEY)], staff_key_hashes=[hash_key(STAFF_KEY)],
        citizen_rate_per_minute=0, max_upload_mb=4,
    )
    try:
        with LiveServer(create_app(services)) as server:
            yield Served(server.url, services, gradio_dir)
    finally:
        services.close()
        if old is None:
            os.environ.pop("GRADIO_TEMP_DIR", None)
        else:
            os.environ["GRADIO_TEMP_DIR"] = old
