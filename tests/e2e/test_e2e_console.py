"""The operators' console against the real app: traffic from the load generator (evals.bench_load)
and the widget, then the analytics API and the console page must count exactly that traffic;
an unanswered question becomes a curated answer served to a paraphrase; a key created in the
console works. Screenshots: console-usage, console-curated, console-conversations, console-keys."""

from __future__ import annotations

import asyncio
from collections import Counter

import httpx
import pytest
from support.keys import E2E_ADMIN_KEY as ADMIN_KEY

from evals.bench_load import run
from evals.traffic import Mix, reference_dossiers

pytestmark = pytest.mark.e2e
HTTP = httpx.Client(timeout=120.0)
ADMIN = {"X-API-Key": ADMIN_KEY}
REGULATION = ["Khám chữa bệnh đúng tuyến thì bảo hiểm y tế thanh toán bao nhiêu phần trăm?",
              "Người hành nghề khám bệnh, chữa bệnh có những quyền gì?"]
TTHC = ["Hồ sơ đề nghị cấp chứng chỉ hành nghề dược gồm những giấy tờ gì?",
        "Lệ phí cấp chứng chỉ hành nghề dược là bao nhiêu?"]
UNANSWERED = ["Lệ phí nuôi chó mèo trong thành phố là bao nhiêu?",
              "le phi nuoi cho meo trong thanh pho bao nhieu"]


def _totals(url: str, days: int = 1) -> dict:
    res = HTTP.get(url + "/v1/admin/analytics", params={"days": days}, headers=ADMIN)
    assert res.status_code == 200, res.text
    return res.json()


def _delta(after: dict, before: dict) -> Counter:
    return Counter(after) - Counter(before)


def _loadgen(live_troly) -> dict:
    db = live_troly.services.settings.data_dir / "onestop_reference.sqlite"
    mix = Mix(REGULATION, TTHC, reference_dossiers(db, limit=20), seed=14)
    return asyncio.run(run(live_troly.url, mix, users=3, seconds=12, think_s=0.3))


def _widget_question(driver, url: str, question: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + "/demo")
    root = WebDriverWait(driver, 20).until(
        lambda d: d.find_element(By.ID, "troly-widget")).shadow_root
    root.find_element(By.CSS_SELECTOR, ".bubble").click()
    box = root.find_element(By.CSS_SELECTOR, "#q")
    box.send_keys(question)
    box.send_keys(Keys.ENTER)
    WebDriverWait(driver, 120).until(lambda _d: [
        b for b in root.find_elements(By.CSS_SELECTOR, ".msg.bot")
        if b.get_attribute("data-done") == "true"])


def _open_console(driver, url: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + "/ui/")
    WebDriverWait(driver, 60).until(lambda d: d.find_element(
        By.XPATH, "//button[@role='tab' and contains(., 'Bảng điều khiển')]")).click()
    driver.find_element(By.CSS_SELECTOR, "#console-key input").send_keys(ADMIN_KEY)
    driver.find_element(By.CSS_SELECTOR, "#console-load").click()
    return WebDriverWait(driver, 60).until(lambda d: (
        "câu hỏi" in d.find_element(By.CSS_SELECTOR, "#console-summary").text
        and d.find_element(By.CSS_SELECTOR, "#console-summary")))


def _open_accordion(driver, elem_id: str, content_id: str) -> None:
    """Open a console accordion and wait until Gradio has rendered `content_id` inside it
    (the content is mounted asynchronously after the click)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    button = driver.find_element(By.CSS_SELECTOR, f"#{elem_id} button.label-wrap")
    driver.execute_script("arguments[0].scrollIntoView()", button)
    if "open" not in (button.get_attribute("class") or ""):
        button.click()
    WebDriverWait(driver, 30).until(lambda d: [
        e for e in d.find_elements(By.CSS_SELECTOR, f"#{content_id}") if e.is_displayed()])


def test_console_counts_the_traffic_sent_and_turns_a_gap_into_a_curated_answer(
        live_troly, browser, shoot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url = live_troly.url
    before = _totals(url)["totals"]
    report = _loadgen(live_troly)
    _widget_question(browser, url, TTHC[0])
    for question in UNANSWERED:
        assert HTTP.post(url + "/v1/chat", json={"message": question}).status_code == 200
    after_report = _totals(url)
    after = after_report["totals"]

    chats = {k: report.get(k, {}).get("n", 0) for k in ("regulation", "tthc", "dossier_chat")}
    lookups = report.get("dossier_lookup", {}).get("n", 0)
    assert sum(chats.values()) >= 5 and lookups >= 1, report
    sent = sum(chats.values()) + 1 + len(UNANSWERED)
    assert after["questions"] - before["questions"] == sent
    channels = _delta(after["by_channel"], before["by_channel"])
    assert channels == Counter({"api-citizen": sum(chats.values()) + len(UNANSWERED),
                                "widget": 1})
    routes = _delta(after["by_route"], before["by_route"])
    assert routes["dossier_status"] == chats["dossier_chat"]
    assert sum(routes.values()) == sent
    dossier = sum(after["dossier_lookups"].values()) - sum(before["dossier_lookups"].values())
    assert dossier == lookups + chats["dossier_chat"]
    assert after["latency_p95_ms"] >= after["latency_p50_ms"] > 0
    gap = next(g for g in after_report["unanswered_groups"]
               if set(UNANSWERED) <= set(g["examples"]))
    assert gap["count"] >= 2
    metrics = HTTP.get(url + "/metrics").text
    widget_line = next(line for line in metrics.splitlines()
                       if line.startswith('troly_exchanges_total{channel="widget"'))
    assert widget_line.endswith(f" {float(_totals(url, 7)['totals']['by_channel']['widget'])}")

    # the console page shows the same numbers, with plots
    summary = _open_console(browser, url)
    week = _totals(url, 7)["totals"]
    assert summary.text.startswith(f"{week['questions']} câu hỏi"), summary.text
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "#console-plot-channel canvas, #console-plot-channel svg"))
    groups = browser.find_element(By.CSS_SELECTOR, "#console-groups")
    WebDriverWait(browser, 30).until(lambda _d: "chó mèo" in groups.text)
    shoot(browser, "console-usage")

    # an unanswered group becomes a curated answer
    cell = next(c for c in groups.find_elements(By.XPATH, ".//*[contains(text(), 'chó mèo')]")
                if c.is_displayed())
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", cell)
    cell.click()
    question = browser.find_element(By.CSS_SELECTOR, "#curated-question textarea")
    WebDriverWait(browser, 20).until(lambda _d: question.get_attribute("value") == UNANSWERED[0])
    variants = browser.find_element(By.CSS_SELECTOR, "#curated-variants textarea")
    assert variants.get_attribute("value").splitlines() == UNANSWERED[1:]
    browser.find_element(By.CSS_SELECTOR, "#curated-answer textarea").send_keys(
        "Sở Y tế không thu lệ phí nuôi chó mèo. Đăng ký nuôi và tiêm phòng tại trạm thú y.")
    browser.find_element(By.CSS_SELECTOR, "#curated-title textarea").send_keys("Trạm thú y phường")
    browser.find_element(By.CSS_SELECTOR, "#curated-contact textarea").send_keys("0269 3 000 000")
    browser.find_element(By.CSS_SELECTOR, "#curated-kind label:nth-of-type(2)").click()
    browser.find_element(By.CSS_SELECTOR, "#curated-save").click()
    info = browser.find_element(By.CSS_SELECTOR, "#curated-info")
    WebDriverWait(browser, 30).until(lambda _d: "Đã lưu" in info.text)
    WebDriverWait(browser, 30).until(lambda d: "Trạm thú y" in d.find_element(
        By.CSS_SELECTOR, "#curated-list").text)
    shoot(browser, "console-curated")
    served = HTTP.post(url + "/v1/chat",
                       json={"message": "Nuôi chó mèo trong thành phố có phải nộp lệ phí không?"})
    body = served.json()
    assert body["curated"] and body["answer"].startswith("**Câu trả lời của Sở Y tế:**"), body
    unrelated = HTTP.post(url + "/v1/chat", json={"message": TTHC[1]}).json()
    assert not unrelated["curated"]
    changes = HTTP.get(url + "/v1/admin/changes", headers=ADMIN).json()
    assert changes[0]["action"] == "curated.create"

    # conversations, masked
    _open_accordion(browser, "console-conversations", "conversation-list")
    conversations = browser.find_element(By.CSS_SELECTOR, "#conversation-list")
    WebDriverWait(browser, 30).until(lambda _d: "Widget công dân" in conversations.text)
    shoot(browser, "console-conversations")

    # a key created in the console works for the staff channel
    _open_accordion(browser, "console-keys", "key-label")
    browser.find_element(By.CSS_SELECTOR, "#key-label textarea").send_keys("Phòng Nghiệp vụ Y")
    browser.find_element(By.CSS_SELECTOR, "#key-create").click()
    shown = WebDriverWait(browser, 30).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "#key-new code"))
    key = shown[0].text.strip()
    WebDriverWait(browser, 30).until(lambda d: "Phòng Nghiệp vụ Y" in d.find_element(
        By.CSS_SELECTOR, "#key-list").text)
    shoot(browser, "console-keys")
    staff = HTTP.post(url + "/v1/chat", json={"message": REGULATION[0], "audience": "staff"},
                      headers={"X-API-Key": key})
    assert staff.status_code == 200, staff.text
    assert key not in HTTP.get(url + "/v1/admin/keys", headers=ADMIN).text


def test_widget_themed_from_its_script_tag(live_troly, browser, shoot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(live_troly.url + "/demo")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.ID, "troly-widget"))
    browser.execute_script("""
        document.getElementById('troly-widget').remove(); window.__trolyWidget = false;
        var s = document.createElement('script'); s.src = '/widget.js';
        s.setAttribute('data-color', '#a4161a'); s.setAttribute('data-position', 'left');
        s.setAttribute('data-title', 'Hỏi đáp Sở Y tế'); s.setAttribute('data-greeting', 'Xin chào! Tôi giúp gì được?');
        document.body.appendChild(s);""")
    root = WebDriverWait(browser, 20).until(
        lambda d: d.find_element(By.ID, "troly-widget")).shadow_root
    bubble = root.find_element(By.CSS_SELECTOR, ".bubble")
    assert bubble.value_of_css_property("background-color") == "rgba(164, 22, 26, 1)"
    assert bubble.rect["x"] < 100  # bottom-left
    bubble.click()
    assert root.find_element(By.CSS_SELECTOR, "#t").text == "Hỏi đáp Sở Y tế"
    assert root.find_element(By.CSS_SELECTOR, ".msg.bot").text == "Xin chào! Tôi giúp gì được?"
    assert root.find_element(By.CSS_SELECTOR, ".msg.bot").find_elements(By.CSS_SELECTOR, ".fb") == []
    shoot(browser, "widget-themed")
