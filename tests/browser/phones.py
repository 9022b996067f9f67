"""Shared helpers for the phone-sized browser tests (German and Arabic): the two phones, the
viewport check, the axe check and the organiser's way into the moderation queue."""
from contextlib import contextmanager

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.auth.helpers import PASSWORD
from tests.browser.conftest import checked_page

def serious_violations(page):
    """axe-core's serious and critical findings on ``page`` (id and up to three targets), and its results."""
    results = Axe().run(page)
    found = [(v["id"], [n["target"] for n in v["nodes"]][:3])
             for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    return found, results


PHONES = [("de", {"width": 360, "height": 640}), ("ar", {"width": 412, "height": 839})]


def inside_viewport(page, locator):
    expect(locator).to_be_visible()
    box, size = locator.bounding_box(), page.viewport_size
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= size["width"] + 0.5 and box["y"] + box["height"] <= size["height"] + 0.5, box


def axe_clean(page):
    found, results = serious_violations(page)
    assert found == [], results.generate_report()


@contextmanager
def moderation_queue(browser, request, live_server, lang, viewport, username="orga"):
    """A phone page logged in as `username` (through the login form) on the moderation queue."""
    with checked_page(browser, request, viewport=viewport, device_scale_factor=2, is_mobile=True, has_touch=True,
                      base_url=live_server) as page:
        page.goto(f"/review/moderation?lang={lang}")
        page.locator("#username").fill(username)
        page.locator("#password").fill(PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/review/moderation**")
        yield page
