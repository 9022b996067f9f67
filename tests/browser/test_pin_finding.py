"""A participant on a phone pins findings on the map page; they land in PostGIS."""
import re
import time
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.browser.conftest import checked_page
from tests.browser.capture import to_last_step
from tests.factories import BISMARCKPLATZ, make_finding

pytestmark = pytest.mark.browser
HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1"> Laden leer'


def stored(session, finding_id, wait_s=10):
    """The stored row; the outbox sends in the background, so give it a moment to arrive."""
    deadline = time.monotonic() + wait_s
    while True:
        session.rollback()
        row = _row(session, finding_id)
        if row is not None or time.monotonic() > deadline:
            assert row is not None, f"finding {finding_id} never reached PostGIS"
            return row
        time.sleep(0.1)


def _row(session, finding_id):
    return session.execute(text("""
        SELECT o.name AS ortsteil, s.name AS stadtbezirk, f.category_slug, f.description, f.accuracy_m,
               ST_Y(f.geom) AS lat, ST_X(f.geom) AS lon
        FROM findings f LEFT JOIN districts o ON o.id = f.ortsteil_id
        LEFT JOIN districts s ON s.id = f.stadtbezirk_id WHERE f.id = :id"""), {"id": finding_id}).mappings().first()


def open_map(page):
    page.goto("/")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def choose_category(page, slug):
    """From the place step (a place chosen): on to the category step, choose, on to the last step."""
    page.locator("#next-button").click()
    page.locator(f"input[name=category][value={slug}]").check()
    page.locator("#next-button").click()
    to_last_step(page)


def test_pin_by_gps_lands_in_alt_homberg(phone, session):
    existing = make_finding(session, BISMARCKPLATZ[0] + 0.0005, BISMARCKPLATZ[1], description="schon da")
    open_map(phone)
    assert int(phone.locator("body").get_attribute("data-findings-loaded")) >= 1
    phone.locator("#pin-button").click()
    phone.locator("#locate-button").click()
    expect(phone.locator("#accuracy-text")).to_contain_text("12")
    choose_category(phone, "empty_shop")
    phone.locator("#description").fill(HOSTILE)
    phone.locator("#send-button").click()

    popup = phone.locator(".finding-popup").last
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("Alt-Homberg")
    expect(popup).to_contain_text(HOSTILE)
    assert popup.locator("img").count() == 0
    expect(phone.locator("#status")).to_contain_text("Gespeichert")
    finding_id = popup.get_attribute("data-finding-id")
    assert finding_id and finding_id != str(existing)

    row = stored(session, uuid.UUID(finding_id))
    assert (row["ortsteil"], row["stadtbezirk"]) == ("Alt-Homberg", "Homberg/Ruhrort/Baerl")
    assert row["category_slug"] == "empty_shop" and row["description"] == HOSTILE
    assert row["accuracy_m"] == pytest.approx(12)
    assert (row["lat"], row["lon"]) == pytest.approx(BISMARCKPLATZ, abs=1e-6)
    assert phone.locator("body").get_attribute("data-pwned") is None


def test_pin_by_tapping_the_map(phone, session):
    open_map(phone)
    phone.locator("#pin-button").click()
    phone.locator("#tap-button").click()
    box = phone.locator("#map").bounding_box()
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
    choose_category(phone, "noise")
    phone.locator("#send-button").click()
    popup = phone.locator(".finding-popup").last
    expect(popup).to_be_visible()
    row = stored(session, uuid.UUID(popup.get_attribute("data-finding-id")))
    assert row["category_slug"] == "noise"
    assert row["stadtbezirk"] is not None


def test_send_stays_disabled_until_place_and_category(phone):
    open_map(phone)
    phone.locator("#pin-button").click()
    expect(phone.locator("#send-button")).to_be_disabled()
    phone.locator("#next-button").click()  # no place: the sheet stays on the place step and says why
    expect(phone.locator("#place-error")).to_be_visible()
    expect(phone.locator("#locate-button")).to_be_visible()
    phone.locator("#locate-button").click()
    expect(phone.locator("#accuracy-text")).to_contain_text("12")
    phone.locator("#next-button").click()
    expect(phone.locator("#send-button")).to_be_disabled()
    phone.locator("#next-button").click()  # no category: it stays on the category step and says why
    expect(phone.locator("#category-error")).to_be_visible()
    expect(phone.locator("#send-button")).to_be_disabled()
    phone.locator("input[name=category][value=litter]").check()
    phone.locator("#next-button").click()
    expect(phone.locator("#send-button")).to_be_visible()
    expect(phone.locator("#send-button")).to_be_enabled()


CONTRAST = """(el) => {
  const rgb = (value) => value.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const style = getComputedStyle(el);
  const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_the_pressed_tap_button_stays_readable_under_the_finger(phone):
    """On a phone :hover sticks to the element last tapped, so pressed and hover apply together."""
    open_map(phone)
    phone.locator("#pin-button").click()
    button = phone.locator("#tap-button")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#tap-button"})["nodeId"]
    cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": ["hover"]})
    assert button.evaluate("(el) => el.matches(':hover')")
    assert button.evaluate(CONTRAST) >= 4.5


@pytest.mark.parametrize("locale", ["de-DE", "ar"])
def test_a_poor_gps_fix_suggests_placing_by_tap(browser, live_server, request, locale):
    with checked_page(browser, request, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True,
                      geolocation={"latitude": 51.4565, "longitude": 6.6995, "accuracy": 250},
                      permissions=["geolocation"], base_url=live_server) as page:
        page.goto(f"/?lang={locale[:2]}")
        expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
        page.locator("#pin-button").click()
        page.locator("#locate-button").click()
        hint = page.locator("#accuracy-text")
        expect(hint).to_contain_text("250")
        expect(hint).to_have_class(re.compile(r"hint--warning"))
        if locale == "de-DE":
            expect(hint).to_contain_text("Tippe lieber auf die Karte")
        for element in (hint, page.locator("#tap-button")):
            box = element.bounding_box()
            assert box and box["y"] >= 0 and box["y"] + box["height"] <= 640, box


def test_a_good_gps_fix_just_shows_its_accuracy(phone):
    open_map(phone)
    phone.locator("#pin-button").click()
    phone.locator("#locate-button").click()
    hint = phone.locator("#accuracy-text")
    expect(hint).to_have_text("Genauigkeit ± 12 m")
    expect(hint).not_to_have_class(re.compile(r"hint--warning"))
