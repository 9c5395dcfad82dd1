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
    titles[0].click()  # expand the first citation: its full source label and file
    details = WebDriverWait(browser, 10).until(lambda d: [
        t for t in d.find_elements(By.CSS_SELECTOR, "#staff-chat .thought") if "Tệp nguồn" in t.text])
    assert "Điều" in details[0].text, details[0].text
    # the excerpt under a citation never repeats the answer's own lines (issue 14)
    answer_lines = {line.strip(" …") for line in answer.text.splitlines() if len(line) > 20}
    for quote in browser.find_elements(By.CSS_SELECTOR, "#staff-chat .thought blockquote"):
        assert not answer_lines & {line.strip(" …") for line in quote.text.splitlines()}
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
    drop_zone = WebDriverWait(browser, 30).until(lambda d: (  # Gradio's texts, in Vietnamese
        t := d.find_element(By.CSS_SELECTOR, "#admin-files").text) and "Kéo thả tệp" in t and t)
    assert "Bấm để chọn tệp" in drop_zone and "Drop File" not in drop_zone
    assert "Click to Upload" not in drop_zone
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
    # the upload is done: the box is empty again, ready for the next files
    WebDriverWait(browser, 30).until(lambda d: "tiem-phong-dai" not in d.find_element(
        By.CSS_SELECTOR, "#admin-files").text)
    # the document table fits the window: no sideways scrolling, the columns the issue names
    table = browser.find_element(By.CSS_SELECTOR, "#admin-docs")
    assert browser.execute_script(
        "return arguments[0].scrollWidth <= arguments[0].clientWidth + 1", table)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= \
        browser.execute_script("return window.innerWidth")
    for header in ("Văn bản", "Số hiệu", "Đối tượng", "Hiệu lực", "Số đoạn", "Lập chỉ mục lúc"):
        assert header in table.text
    shoot(browser, "gradio-admin-upload")

    hits = HTTP.get(live_troly.url + "/v1/search",
                     params={"q": "phí tiêm phòng dại cho chó ở Ia Grai"}).json()["hits"]
    assert hits and "Ia Grai" in hits[0]["text"]
    answer = HTTP.post(live_troly.url + "/v1/chat",
                        json={"message": "Phí tiêm phòng dại cho chó ở xã Ia Grai là bao nhiêu?"})
    assert "45.000" in answer.json()["answer"]
