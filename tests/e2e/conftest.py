"""End-to-end fixtures: a REAL troly app (real model, demo corpus, reference one-stop-shop)
served by uvicorn on a loopback port, and headless Debian Chromium driven by Selenium.

CI needs: `apt-get install -y chromium chromium-driver` and `pip install selenium==4.51.0`.
Screenshots go to `$TROLY_E2E_SCREENSHOTS` (default: pytest's temp dir, `e2e-screenshots`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from support.keys import E2E_ADMIN_KEY as ADMIN_KEY
from support.keys import E2E_STAFF_KEY as STAFF_KEY
from ui.keys import hash_key

CHROMIUM = Path(os.environ.get("TROLY_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("TROLY_CHROMEDRIVER", "/usr/bin/chromedriver"))
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync")

pytestmark = pytest.mark.e2e


def _browser_missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install selenium==4.51.0)"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} missing (apt-get install -y {package})"
    return None


@dataclass
class LiveTroly:
    url: str
    services: object  # ui.services.Services


@pytest.fixture(scope="session")
def live_troly(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    reason = _browser_missing()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    model_dir = request.getfixturevalue("prepared_model_dir")
    from ui.api import create_app
    from ui.bootstrap import build_services
    from support.live_server import LiveServer

    settings = Settings(
        _env_file=None,
        data_dir=tmp_path_factory.mktemp("e2e-data"),
        embedding_model=str(model_dir),
        admin_key_hashes=[hash_key(ADMIN_KEY)],
        staff_key_hashes=[hash_key(STAFF_KEY)],
        igate_base_url="",
        # as behind the department's reverse proxy: the load generator's simulated citizens
        # (X-Forwarded-For) are separate clients for the rate limit
        trusted_proxies=["127.0.0.1"],
    )
    services = build_services(settings)  # indexes corpus/demo, starts the reference one-stop
    try:
        with LiveServer(create_app(services),
                        trusted_proxies=settings.trusted_proxies) as server:
            yield LiveTroly(server.url, services)
    finally:
        services.close()


def _driver(phone: bool):
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="troly-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    if phone:
        options.add_experimental_option(
            "mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2}}
        )
    else:
        options.add_argument("--window-size=1280,1000")
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    return driver, profile


@pytest.fixture
def browser():
    driver, profile = _driver(phone=False)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def phone():
    driver, profile = _driver(phone=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("TROLY_E2E_SCREENSHOTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("e2e-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shoot(screenshot_dir: Path):
    def save(driver, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        driver.save_screenshot(str(path))
        return path

    return save
