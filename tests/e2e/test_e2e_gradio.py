"""The Gradio UI at /ui against the real app: staff chat and the admin tab."""

from __future__ import annotations

import httpx
import pytest
from support.keys import E2E_ADMIN_KEY as ADMIN_KEY
from support.keys import E2E_STAFF_KEY as STAFF_KEY

pytestmark = pytest.mark.e2e
HTTP = httpx.Client(timeout=120.0)  # a busy machine answers slowly: wait, never flake

REGULATION_QUESTION = (
    "Khám chữa bệnh đúng quy định thì quỹ bảo hiểm y tế thanh toán bao nhiêu phần trăm?"
)
UPLOADED = """TÀI LIỆU KIỂM THỬ (E2E) — không phải văn bản chính thức.

# QUY ĐỊNH
Về tiêm vắc xin phòng bệnh dại cho chó nuôi tại xã Ia Grai (tài liệu kiểm thử)

### Điều 1. Phạm vi
Chó nuôi tại xã Ia Grai phải được tiêm vắc xin phòng bệnh dại mỗi năm một lần, vào tháng Ba.

### Điều 2. Chi phí
Chủ nuôi chó nộp phí tiêm phòng dại 45.000 đồng mỗi con tại trạm thú y xã Ia Grai.
"""


def _open_ui(driver, url: str, tab: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + "/ui/")
    button = WebDriverWait(driver, 60).until(
        lambda d: d.find_element(By.XPATH, f"//button[@role='tab' and contains(., '{tab}')]"))
    button.click()


def test_gradio_staff_chat_answers_regulation_question(live_troly, browser, shoot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _open_ui(browser, live_troly.url, "Cán bộ")
    browser.find_element(By.CSS_SELECTOR, "#staff-key input").send_keys(STAFF_KEY)
    browser.find_element(By.CSS_SELECTOR, "#staff-input textarea").send_keys(REGULATION_QUESTION)
    browser.find_element(By.CSS_SELECTOR, "#staff-send").click()
    titles = WebDriverWait(browser, 180).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "#staff-chat .thought .title"))
    answer = browser.find_elements(By.CSS_SELECTOR, "#staff-chat [data-testid=bot]")[0]
    assert "100%" in answer.text, answer.text
    assert any("Điều" in t.text for t in titles), [t.text for t in titles]
    titles[0].click()  # expand the first citation to its quoted text
    quote = WebDriverWait(browser, 10).until(lambda d: [
        q for q in d.find_elements(By.CSS_SELECTOR, "#staff-chat .thought blockquote")
        if q.text.strip()])
    assert len(quote[0].text) > 20
    shoot(browser, "gradio-staff-regulation")


def test_gradio_staff_chat_refuses_without_key(live_troly, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _open_ui(browser, live_troly.url, "Cán bộ")
    browser.find_element(By.CSS_SELECTOR, "#staff-input textarea").send_keys("quy trình một cửa")
    browser.find_element(By.CSS_SELECTOR, "#staff-send").click()
    bot = WebDriverWait(browser, 30).until(lambda d: d.find_elements(
        By.CSS_SELECTOR, "#staff-chat [data-testid=bot]"))
    assert "khóa cán bộ" in bot[-1].text


def test_gradio_admin_upload_becomes_searchable(live_troly, browser, shoot, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    doc = tmp_path / "tiem-phong-dai-ia-grai.md"
    doc.write_text(UPLOADED, encoding="utf-8")
    before = HTTP.get(live_troly.url + "/v1/search", params={"q": "tiêm phòng dại chó Ia Grai"})
    assert all("Ia Grai" not in h["text"] for h in before.json()["hits"])

    _open_ui(browser, live_troly.url, "Quản trị")
    browser.find_element(By.CSS_SELECTOR, "#admin-key input").send_keys(ADMIN_KEY)
    browser.find_element(By.CSS_SELECTOR, "#admin-files input[type=file]").send_keys(str(doc))
    WebDriverWait(browser, 30).until(lambda d: "tiem-phong-dai" in d.find_element(
        By.CSS_SELECTOR, "#admin-files").text)
    browser.find_element(By.CSS_SELECTOR, "#admin-upload").click()
    status = WebDriverWait(browser, 180).until(lambda d: (
        t := d.find_element(By.CSS_SELECTOR, "#admin-status").text) and
        ("Xong" in t or "Lỗi" in t) and t)
    assert status.startswith("Xong: thêm 1"), status
    WebDriverWait(browser, 30).until(lambda d: "tiem-phong-dai-ia-grai.md" in d.find_element(
        By.CSS_SELECTOR, "#admin-docs").text)
    shoot(browser, "gradio-admin-upload")

    hits = HTTP.get(live_troly.url + "/v1/search",
                     params={"q": "phí tiêm phòng dại cho chó ở Ia Grai"}).json()["hits"]
    assert hits and "Ia Grai" in hits[0]["text"]
    answer = HTTP.post(live_troly.url + "/v1/chat",
                        json={"message": "Phí tiêm phòng dại cho chó ở xã Ia Grai là bao nhiêu?"})
    assert "45.000" in answer.json()["answer"]
