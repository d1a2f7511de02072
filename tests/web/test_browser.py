"""Browser tests: Debian's chromium (headless) through chromedriver and Selenium, on a live server.

Covers: log in with an invite code, ask a question, describe a situation, press "Ik verwijs door",
an admin edits a service's phone number, and the chat then shows the new number. Screenshots at phone size
(390x844) of the chat and the freshness page are written to tmp, or to docs/ with WIJKBOT_SCREENSHOTS=docs.
Without chromium/chromedriver every test here is skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.web.conftest import admin_code, new_invite

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or (
    "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
)
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="geen browser: installeer Debian's chromium en chromium-driver (apt-get install chromium chromium-driver)",
)
WAIT = 30.0
NEW_PHONE = "0123-456789"


@pytest.fixture(scope="module")
def live_url(web_services) -> Iterator[str]:
    """The web app on a free loopback port, served by uvicorn in a thread."""
    import uvicorn

    from bot.channels.web.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(web_services), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never download a driver or browser
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=390,844", "--lang=nl-NL"):  # fmt: skip
        options.add_argument(argument)
    try:
        driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    except Exception as exc:  # noqa: BLE001 - report why, as a skip with the reason
        pytest.skip(f"chromium start niet: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})  # fmt: skip
    return driver


@pytest.fixture
def browser() -> Iterator[object]:
    driver = _driver()
    yield driver
    driver.quit()


@pytest.fixture
def admin_browser() -> Iterator[object]:
    driver = _driver()
    yield driver
    driver.quit()


def _screenshot_dir(tmp_path: Path) -> Path:
    target = ROOT / "docs" if os.environ.get("WIJKBOT_SCREENSHOTS") == "docs" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target


def _log_in(driver, url: str, code: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url + "/")
    driver.find_element(By.ID, "code").send_keys(code)
    driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
    WebDriverWait(driver, WAIT).until(ec.presence_of_element_located((By.ID, "text")))


def _send(driver, text: str, expect: str) -> str:
    """Type a message, press Stuur, wait until the newest bot reply contains `expect`; return the log text."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    before = len(driver.find_elements(By.CSS_SELECTOR, "#log .msg"))
    box = driver.find_element(By.ID, "text")
    box.send_keys(text)
    driver.find_element(By.CSS_SELECTOR, "#ask button").click()
    return _wait_for(driver, before, expect, WebDriverWait)


def _wait_for(driver, before: int, expect: str, wait_cls) -> str:
    from selenium.webdriver.common.by import By

    def arrived(d):
        messages = d.find_elements(By.CSS_SELECTOR, "#log .msg")
        text = " ".join(m.text for m in messages[before:])
        return text if len(messages) > before and expect in text else False

    return wait_cls(driver, WAIT).until(arrived)


def test_chat_flow_and_admin_phone_edit(
    browser, admin_browser, live_url, web_services, web_app, tmp_path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _log_in(browser, live_url, new_invite(web_services))
    assert browser.find_element(By.ID, "text").is_displayed()

    answer = _send(browser, "Hoe maak ik tijd vrij voor overleg met de huisarts?", "Samenwerken in de wijk")
    assert "Vraag" in answer

    situation = "moeder van drie, post blijft liggen, deurwaarder aan de deur, kinderen spijbelen"
    suggestions = _send(browser, situation, "Schuldhulp")
    assert "Toegang" in suggestions  # compact cards: name, why, phone, access
    phone_link = browser.find_elements(By.CSS_SELECTOR, "#log a[href^='tel:']")
    assert phone_link, "telefoonnummers zijn tel:-links"
    refer = next(b for b in browser.find_elements(By.CSS_SELECTOR, "#log button.choice")
                 if b.text.startswith("Ik verwijs door"))  # fmt: skip
    before = len(browser.find_elements(By.CSS_SELECTOR, "#log .msg"))
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", refer)
    refer.click()
    referred = _wait_for(browser, before, "terugkoppel", WebDriverWait)
    assert "label" in referred.lower()
    time.sleep(1.0)  # let the smooth scroll to the newest message finish
    browser.save_screenshot(str(_screenshot_dir(tmp_path) / "chat.png"))

    _log_in(admin_browser, live_url, admin_code(web_app))
    admin_browser.get(live_url + "/beheer/dienst/schuldhulp")
    field = admin_browser.find_element(By.ID, "f-phone")
    field.clear()
    field.send_keys("0123 45 67 89")
    admin_browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    WebDriverWait(admin_browser, WAIT).until(lambda d: "Opgeslagen." in d.page_source)
    assert web_services.kaart.get("schuldhulp").phone == NEW_PHONE
    failed = web_services.store.add_referral(31337, service_id="leerplicht", service_name="Leerplicht en RMC")
    web_services.store.add_contact_failure(web_services.store.get_referral(failed))
    web_services.store.add_correction("leerplicht", 31337, "contactgegevens kloppen niet")
    admin_browser.get(live_url + "/beheer/vers")
    time.sleep(0.3)
    admin_browser.save_screenshot(str(_screenshot_dir(tmp_path) / "versheid.png"))

    again = _send(browser, situation, NEW_PHONE)
    assert NEW_PHONE in again
    hrefs = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#log a[href^='tel:']")]
    assert "tel:" + NEW_PHONE.replace("-", "") in hrefs


def test_admin_form_shows_a_bad_phone_next_to_the_field(
    admin_browser, live_url, web_app, web_services
) -> None:
    from selenium.webdriver.common.by import By

    _log_in(admin_browser, live_url, admin_code(web_app))
    admin_browser.get(live_url + "/beheer/dienst/leerplicht")
    before = web_services.kaart.get("leerplicht").phone
    field = admin_browser.find_element(By.ID, "f-phone")
    field.clear()
    field.send_keys("bel me maar")
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    admin_browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
    error = WebDriverWait(admin_browser, 20).until(ec.presence_of_element_located((By.ID, "err-phone")))
    assert "geen geldig Nederlands telefoonnummer" in error.text
    assert web_services.kaart.get("leerplicht").phone == before
