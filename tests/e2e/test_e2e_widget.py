"""The citizen widget embedded in a portal page, on a phone-sized screen, against the real app."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

TTHC_QUESTION = "Hồ sơ đề nghị cấp chứng chỉ hành nghề dược gồm những giấy tờ gì?"


def _widget(driver, url: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + "/demo")
    host = WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "troly-widget"))
    return host.shadow_root


def _open(root):
    from selenium.webdriver.common.by import By

    bubble = root.find_element(By.CSS_SELECTOR, ".bubble")
    bubble.click()
    return bubble


def _answer(driver, root, timeout: float = 60.0):
    """The last bot message once it is no longer 'Đang trả lời…'."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def done(_driver):  # the answer streams in; data-done marks its end
        bots = root.find_elements(By.CSS_SELECTOR, ".msg.bot")
        return bots and bots[-1].get_attribute("data-done") == "true" and bots[-1]

    return WebDriverWait(driver, timeout).until(done)


def test_widget_tthc_question_shows_answer_with_citation(live_troly, phone, shoot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    root = _widget(phone, live_troly.url)
    _open(root)
    panel = root.find_element(By.CSS_SELECTOR, ".panel")
    assert panel.get_attribute("role") == "dialog"
    question = root.find_element(By.CSS_SELECTOR, "#q")
    question.send_keys(TTHC_QUESTION)
    question.send_keys(Keys.ENTER)
    answer = _answer(phone, root)
    summaries = answer.find_elements(By.CSS_SELECTOR, ".cites summary")
    assert summaries, answer.text
    assert any("DEMO.000003" in s.text or "dược" in s.text.lower() for s in summaries)
    assert "dược" in answer.text.lower()
    summaries[0].click()
    source = answer.find_element(By.CSS_SELECTOR, ".cites .src")
    assert source.is_displayed() and "DEMO.000003" in source.text
    # the answer quotes the procedure record: the citation does not show that text again
    assert not answer.find_elements(By.CSS_SELECTOR, ".cites blockquote")
    # phone-sized screen: the panel takes the whole width
    width = phone.execute_script("return window.innerWidth")
    assert abs(panel.rect["width"] - width) <= 1
    shoot(phone, "widget-tthc-answer-phone")


def test_widget_keyboard_and_screen_reader_labels(live_troly, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    root = _widget(browser, live_troly.url)
    bubble = root.find_element(By.CSS_SELECTOR, ".bubble")
    assert bubble.get_attribute("aria-label") and bubble.get_attribute("aria-expanded") == "false"
    bubble.send_keys(Keys.ENTER)  # a real <button>: keyboard activates it
    assert bubble.get_attribute("aria-expanded") == "true"
    active = browser.execute_script(
        "return document.getElementById('troly-widget').shadowRoot.activeElement.id")
    assert active == "q"  # focus moved into the question box
    assert root.find_element(By.CSS_SELECTOR, "label[for=q]").get_attribute("textContent")
    assert root.find_element(By.CSS_SELECTOR, ".log").get_attribute("aria-live") == "polite"
    root.find_element(By.CSS_SELECTOR, "#q").send_keys(Keys.ESCAPE)
    assert root.find_element(By.CSS_SELECTOR, ".panel").get_attribute("hidden") is not None
    active = browser.execute_script(
        "return document.getElementById('troly-widget').shadowRoot.activeElement.className")
    assert active == "bubble"  # focus returned to the bubble


def _lookup(driver, root, code: str, factor: str) -> str:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    root.find_element(By.CSS_SELECTOR, "#td").click()
    form = root.find_element(By.CSS_SELECTOR, ".dossier")
    for name, value in (("code", code), ("verification", factor)):
        field = form.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    result = root.find_element(By.CSS_SELECTOR, ".result")
    driver.execute_script("arguments[0].removeAttribute('data-outcome')", result)
    form.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, 30).until(lambda _d: result.get_attribute("data-outcome"))
    return result.text


def test_widget_dossier_lookup_right_and_wrong_factor(live_troly, phone, shoot):
    demo = live_troly.services.reference.demo[0]  # "đang xử lý, còn hạn"
    root = _widget(phone, live_troly.url)
    _open(root)
    right = _lookup(phone, root, demo.code, demo.phone_last4)
    shoot(phone, "widget-dossier-right-factor")
    assert demo.code in right and "Đang xử lý" in right
    assert "N*** V*** A***" in right  # masked applicant, never the full name
    assert "hồ sơ mẫu DEMO" in right  # the reference service's record says it is a demo one
    wrong_factor = "0000" if demo.phone_last4 != "0000" else "1111"
    wrong = _lookup(phone, root, demo.code, wrong_factor)
    shoot(phone, "widget-dossier-wrong-factor")
    assert "Đang xử lý" not in wrong and "N***" not in wrong
    unknown = _lookup(phone, root, demo.code[:-4] + "9999", demo.phone_last4)
    assert wrong == unknown  # a wrong factor looks exactly like an unknown code
