"""Languages on a phone: the Arabic page mirrors, the switcher works without scripts, and axe-core
finds no serious or critical accessibility violation (i18n; beside the other browser tests for their fixtures)."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.capture import to_last_step

pytestmark = pytest.mark.browser


def open_page(page, path):
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def test_arabic_page_runs_right_to_left(phone):
    open_page(phone, "/?lang=ar")
    assert phone.evaluate("getComputedStyle(document.body).direction") == "rtl"
    expect(phone.locator("#pin-button")).to_have_accessible_name("أبلغ عن ملاحظة")
    phone.locator("#pin-button").click()
    expect(phone.locator("#capture-title")).to_have_text("أبلغ عن ملاحظة")
    forward, cancel = (phone.locator(f"#{name}-button").bounding_box() for name in ("next", "cancel"))
    assert forward["x"] < cancel["x"], "the action buttons mirror: Cancel on the right"
    assert phone.evaluate("document.querySelector('.leaflet-control-zoom').getBoundingClientRect().left") > 180

    phone.locator("#locate-button").click()
    expect(phone.locator("#accuracy-text")).to_contain_text("12")
    phone.locator("#next-button").click()
    expect(phone.locator("label.category-option", has_text="ضوضاء")).to_be_visible()
    phone.locator("input[name=category][value=noise]").check()
    phone.locator("#next-button").click()
    to_last_step(phone)
    send, back = (phone.locator(f"#{name}-button").bounding_box() for name in ("send", "back"))
    assert send["x"] < back["x"], "the action buttons mirror: Back on the right"
    phone.locator("#send-button").click()
    popup = phone.locator(".finding-popup").last
    expect(popup).to_contain_text("ضوضاء")
    expect(phone.locator("#status")).to_contain_text("تم الحفظ")


def test_switching_language_without_scripts(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740},
                                  base_url=live_server, locale="de-DE")
    page = context.new_page()
    try:
        page.goto("/")
        page.locator(".lang-switch__toggle").click()
        link = page.get_by_role("link", name="Türkçe")
        box = link.bounding_box()
        assert box["height"] >= 44, "touch target"
        link.click()
        expect(page.locator("html")).to_have_attribute("lang", "tr")
        expect(page.locator("#pin-button")).to_contain_text("Tespit bildir")
        page.goto("/")
        expect(page.locator("html")).to_have_attribute("lang", "tr")
        page.locator(".lang-switch__toggle").click()
        expect(page.locator('.lang-switch__link[aria-current="true"]')).to_have_text("Türkçe")
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/?lang=ar"])
def test_no_serious_accessibility_violations(phone, path):
    open_page(phone, path)
    results = Axe().run(phone)
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], results.generate_report()


def test_no_serious_accessibility_violations_with_the_sheet_open(phone):
    open_page(phone, "/?lang=ar")
    phone.locator("#pin-button").click()
    phone.locator(".lang-switch__toggle").click()
    results = Axe().run(phone)
    serious = [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], results.generate_report()
