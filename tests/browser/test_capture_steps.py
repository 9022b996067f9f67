"""The capture sheet in steps on small phones, in German and Arabic: each step's question and its
primary action are on screen without scrolling, the focus goes to what needs an answer, the +1
offer comes up focused, the pin stays in the map part above the sheet, and axe finds nothing serious."""
import os
import time
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import checked_page
from tests.browser.phones import serious_violations
from tests.browser.capture import (  # noqa: F401  (fixtures)
    METRES_PER_DEGREE_LAT, damage_required, eventually, row, saved_popup, walk,
)
from tests.factories import BISMARCKPLATZ, make_finding

pytestmark = pytest.mark.browser

SIZES = [pytest.param((360, 640), id="360x640"), pytest.param((412, 839), id="412x839")]
LANGS = ["de", "ar"]
# Set to a directory to keep a screenshot of every step (for looking at them, not for the test).
SHOTS = os.environ.get("MAPAPP_TEST_SCREENSHOTS")

IN_VIEW = """(node) => {
  const r = node.getBoundingClientRect();
  const inside = r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
    && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return {inside, uncovered: Boolean(hit) && (node === hit || node.contains(hit) || hit.contains(node) && hit !== document.body),
          box: [r.left, r.top, r.right, r.bottom], hit: hit && (hit.id || hit.className)};
}"""


@pytest.fixture
def small_phone(browser, live_server, request):
    """A phone of the size given by the test's `size` parameter, standing on Bismarckplatz."""
    width, height = request.node.callspec.params["size"]
    with checked_page(
        browser, request, viewport={"width": width, "height": height}, device_scale_factor=2, is_mobile=True,
        has_touch=True, geolocation={"latitude": BISMARCKPLATZ[0], "longitude": BISMARCKPLATZ[1], "accuracy": 12},
        permissions=["geolocation"], base_url=live_server,
    ) as page:
        yield page


def open_map(page, walk, lang):
    page.goto(f"/w/{walk['code']}/map?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def assert_in_view(page, selector):
    """The element is inside the viewport, nothing else lies on top of its centre."""
    locator = page.locator(selector)
    expect(locator).to_be_visible()
    found = locator.evaluate(IN_VIEW)
    assert found["inside"] and found["uncovered"], (selector, found)


def assert_focus_in(page, selector):
    assert page.locator(selector).evaluate("(node) => node.contains(document.activeElement)"), (
        selector, page.evaluate("document.activeElement.outerHTML.slice(0, 120)"))


def assert_pin_above_the_sheet(page):
    """The whole draft pin shows in the part of the map the sheet leaves free (once the map settled)."""
    def boxes():
        return [page.locator(selector).bounding_box() for selector in (".draft-marker", "#map", "#capture-sheet")]

    def clear():
        pin, map_box, sheet = boxes()
        return (map_box["x"] <= pin["x"] and pin["x"] + pin["width"] <= map_box["x"] + map_box["width"]
                and map_box["y"] <= pin["y"] and pin["y"] + pin["height"] <= sheet["y"])

    deadline = time.monotonic() + 5
    while not clear() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert clear(), boxes()


def check_step(page, name, *, question, action, title=None):
    """One step on screen: `question` and `action` in view, the focus on the step's heading (or `title`)."""
    expect(page.locator("#capture-progress")).to_have_text(STEP_TEXT[page.lang].format(n=name))
    sheet = page.locator("#capture-sheet")
    deadline = time.monotonic() + 5
    while sheet.evaluate("(node) => node.getAnimations().length") and time.monotonic() < deadline:
        time.sleep(0.05)  # the sheet is still sliding in
    assert_in_view(page, question)
    assert_in_view(page, action)
    assert_focus_in(page, title or "#capture-sheet .step:not([hidden]) .step__title:visible")
    if SHOTS:
        size = page.viewport_size
        page.screenshot(path=os.path.join(SHOTS, f"steps_{page.lang}_{size['width']}x{size['height']}_{name}.png"))
    found, results = serious_violations(page)
    assert found == [], results.generate_report()


STEP_TEXT = {"de": "Schritt {n} von 4", "ar": "الخطوة {n} من 4"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_each_step_fits_the_screen_and_takes_the_focus(small_phone, session, walk, size, lang):
    page = small_phone
    page.lang = lang
    open_map(page, walk, lang)
    page.locator("#pin-button").click()

    check_step(page, 1, question="#step-place .step__title", action="#next-button")
    assert_in_view(page, "#locate-button")
    page.locator("#locate-button").click()
    expect(page.locator("#accuracy-text")).to_contain_text("12")
    assert_in_view(page, "#accuracy-text")
    assert_pin_above_the_sheet(page)
    page.locator("#next-button").click()

    check_step(page, 2, question="#step-category .step__title", action="#next-button")
    assert_in_view(page, "#category-grid .category-option:first-child")
    page.locator("input[name=category][value=empty_shop]").check()
    assert_in_view(page, "#next-button")
    assert_pin_above_the_sheet(page)
    page.locator("#next-button").click()

    check_step(page, 3, question="fieldset.question[data-code=ground_floor] legend", action="#next-button")
    expect(page.locator("#nearby-panel")).to_be_hidden()
    assert_in_view(page, "fieldset.question[data-code=ground_floor] .choice:first-child")
    page.locator("fieldset.question[data-code=ground_floor] .choice").first.click()
    assert_pin_above_the_sheet(page)
    page.locator("#next-button").click()

    check_step(page, 4, question="#description", action="#send-button")
    expect(page.locator("#next-button")).to_be_hidden()
    assert_pin_above_the_sheet(page)
    page.locator("#back-button").click()
    expect(page.locator("fieldset.question[data-code=ground_floor] input").first).to_be_checked()
    page.locator("#next-button").click()
    page.locator("#description").fill("Schaufenster zugeklebt")
    page.locator("#send-button").click()

    popup = saved_popup(page, "Schaufenster zugeklebt")
    stored = eventually(lambda: row(session, "SELECT attributes FROM findings WHERE id = :id",
                                    id=uuid.UUID(popup.get_attribute("data-finding-id"))))
    assert stored["attributes"] == {"ground_floor": "yes"}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_the_plus_one_offer_comes_up_in_view_and_focused(small_phone, session, walk, size, lang):
    page = small_phone
    page.lang = lang
    ten_metres_north = BISMARCKPLATZ[0] + 10 / METRES_PER_DEGREE_LAT
    theirs = make_finding(session, ten_metres_north, BISMARCKPLATZ[1], description="Ehemalige Bäckerei",
                          walk_id=walk["id"])
    session.commit()
    open_map(page, walk, lang)
    page.locator("#pin-button").click()
    page.locator("#locate-button").click()
    expect(page.locator("#accuracy-text")).to_contain_text("12")
    page.locator("#next-button").click()
    page.locator("input[name=category][value=empty_shop]").check()
    page.locator("#next-button").click()

    offer = page.locator("#nearby-panel")
    expect(offer).to_be_visible()
    vote = f".nearby-item[data-finding-id='{theirs}'] .nearby-item__vote"
    check_step(page, 3, question="#nearby-heading", action=vote, title="#nearby-panel")
    assert_in_view(page, "#nearby-dismiss")
    expect(page.locator("fieldset.question[data-code=ground_floor]")).to_be_hidden()
    expect(page.locator("#next-button")).to_be_hidden()
    assert_pin_above_the_sheet(page)

    page.locator(vote).click()
    expect(page.locator("#capture-sheet")).to_be_hidden()
    assert eventually(lambda: row(session, "SELECT count(*) AS n FROM confirmations WHERE finding_id = :id",
                                  id=theirs)["n"] == 1)


@pytest.mark.parametrize("size", SIZES[:1])
def test_a_step_with_a_missing_answer_says_so_next_to_it(small_phone, walk, damage_required, size):
    page = small_phone
    open_map(page, walk, "de")
    page.locator("#pin-button").click()

    page.locator("#next-button").click()  # no place yet
    expect(page.locator("#place-error")).to_have_text("Bitte zuerst den Ort wählen.")
    assert_in_view(page, "#place-error")
    expect(page.locator("#capture-progress")).to_have_text("Schritt 1 von 4")
    expect(page.locator("#locate-button")).to_be_focused()
    page.locator("#locate-button").click()
    expect(page.locator("#place-error")).to_be_hidden()
    page.locator("#next-button").click()

    page.locator("#next-button").click()  # no category yet
    expect(page.locator("#category-error")).to_have_text("Bitte wähle, was es ist.")
    assert_in_view(page, "#category-error")
    expect(page.locator("#capture-progress")).to_have_text("Schritt 2 von 4")
    page.locator("input[name=category][value=cycle_path]").check()
    expect(page.locator("#category-error")).to_be_hidden()
    page.locator("#next-button").click()
    expect(page.locator("fieldset.question[data-code=damage]")).to_be_visible()

    page.locator("#next-button").click()  # the required "Was ist kaputt?" is not answered
    expect(page.locator("#attr-damage-error")).to_have_text("Bitte beantworten.")
    assert_in_view(page, "#attr-damage-error")
    expect(page.locator("fieldset.question[data-code=damage] input").first).to_be_focused()
    expect(page.locator("#capture-progress")).to_have_text("Schritt 3 von 4")


@pytest.mark.parametrize("size", SIZES[:1])
def test_a_category_without_questions_goes_straight_to_the_last_step_and_back(small_phone, walk, size):
    page = small_phone
    open_map(page, walk, "de")
    page.locator("#pin-button").click()
    page.locator("#locate-button").click()
    expect(page.locator("#accuracy-text")).to_contain_text("12")
    page.locator("#next-button").click()
    page.locator("input[name=category][value=litter]").check()
    page.locator("#next-button").click()
    expect(page.locator("#capture-progress")).to_have_text("Schritt 4 von 4")
    expect(page.locator("#description")).to_be_visible()
    page.locator("#back-button").click()
    expect(page.locator("#capture-progress")).to_have_text("Schritt 2 von 4")
    expect(page.locator("input[name=category][value=litter]")).to_be_checked()
    page.locator("#back-button").click()
    expect(page.locator("#capture-progress")).to_have_text("Schritt 1 von 4")
    expect(page.locator("#cancel-button")).to_be_visible()
    page.locator("#cancel-button").click()
    expect(page.locator("#capture-sheet")).to_be_hidden()
    expect(page.locator("#pin-button")).to_be_focused()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES[:1])
def test_on_the_front_door_the_header_makes_room_for_the_pin(small_phone, size, lang):
    page = small_phone
    page.lang = lang
    page.goto(f"/?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    page.locator("#pin-button").click()
    expect(page.locator(".home-header__intro")).to_be_hidden()
    page.locator("#locate-button").click()
    expect(page.locator("#accuracy-text")).to_contain_text("12")
    assert_pin_above_the_sheet(page)
    page.locator("#next-button").click()
    check_step(page, 2, question="#step-category .step__title", action="#next-button")
    assert_pin_above_the_sheet(page)
    page.locator("#close-button").click()
    expect(page.locator(".home-header__intro")).to_be_visible()
