"""The abuse suite: troly served by uvicorn on a loopback port, attacked as an attacker would
(over real HTTP). `gradio_troly` is the real app with the Gradio UI around fake services
(fast); `abused_troly` (tests marked slow) is the real pipeline with the real model."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.fake_llm_server import running_server
from support.keys import ABUSE_ADMIN_KEY as ADMIN_KEY
from support.keys import ABUSE_STAFF_KEY as STAFF_KEY

pytestmark = pytest.mark.abuse



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
    from fakes.ui import make_chunk, make_services

    from ui.api import create_app
    from ui.keys import hash_key
    from support.live_server import LiveServer

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


@dataclass
class LiveTroly:
    url: str
    services: object  # ui.services.Services
    llm: object  # the fake LLM server's FastAPI app (state.requests, state.slow_s)
    admin_key: str = ADMIN_KEY

    @property
    def admin(self) -> dict[str, str]:
        return {"X-API-Key": self.admin_key}


@pytest.fixture(scope="module")
def live_troly(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The real troly (real model, demo corpus, reference one-stop-shop, bounded loaders) with
    an LLM that never answers in time, served on loopback."""
    model_dir = request.getfixturevalue("prepared_model_dir")
    from assistant.core.settings import Settings
    from ui.api import create_app
    from ui.bootstrap import build_services
    from ui.keys import hash_key
    from support.live_server import LiveServer

    with running_server() as (llm_url, llm_app):
        llm_app.state.slow_s = 30.0
        settings = Settings(
            _env_file=None, data_dir=tmp_path_factory.mktemp("abuse-data"),
            embedding_model=str(model_dir), admin_key_hashes=[hash_key(ADMIN_KEY)],
            staff_key_hashes=[hash_key(STAFF_KEY)], igate_base_url="",
            llm_base_url=llm_url, llm_model="slow", llm_first_token_timeout_s=0.5,
            llm_max_concurrent=1, citizen_rate_per_minute=0, max_upload_mb=5,
            loader_timeout_s=30, serve_model_threads=1, embedding_threads=1,
        )
        services = build_services(settings)
        try:
            with LiveServer(create_app(services)) as server:
                yield LiveTroly(server.url, services, llm_app)
        finally:
            services.close()
