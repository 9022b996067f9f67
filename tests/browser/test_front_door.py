"""The front door `/`: a heading, a sentence on what this is, the walks to join, "Fund melden"
inside the viewport on small phones (German and Arabic), count bubbles that never overlap."""
from datetime import datetime, timedelta, timezone
import math
from itertools import combinations
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.mapdata.cells import BASE_CELL_M, BASE_ZOOM, HALF_WORLD
from tests.browser.phones import serious_violations
from tests.factories import make_finding, make_walk

pytestmark = pytest.mark.browser

PHONES = [{"width": 360, "height": 640}, {"width": 412, "height": 839}]


@pytest.fixture
def walks(session):
    """One walk next week and one last month; returns their join codes."""
    now = datetime.now(timezone.utc)
    codes = {}
    for key, title, starts in (("next", "Hochfeld: Spielplätze", now + timedelta(days=7)),
                               ("past", "Alt-Homberg: Leerstand", now - timedelta(days=30))):
        walk_id = make_walk(session, title=title, meeting_point_name="Bismarckplatz, vor dem Rathaus")
        session.execute(text("UPDATE walks SET starts_at = :starts, ends_at = :starts + interval '2 hours' WHERE id = :id"),
                        {"starts": starts.replace(hour=10, minute=0, second=0, microsecond=0), "id": walk_id})
        codes[key] = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar_one()
    session.commit()
    codes["next_local"] = (now + timedelta(days=7)).replace(hour=10, minute=0).astimezone(ZoneInfo("Europe/Berlin"))
    return codes


def open_home(page, lang):
    page.goto(f"/?lang={lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def inside_viewport(page, locator):
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["x"] >= 0 and box["y"] >= 0 \
        and box["x"] + box["width"] <= size["width"] and box["y"] + box["height"] <= size["height"]


@pytest.mark.parametrize("viewport", PHONES)
@pytest.mark.parametrize("lang", ["de", "ar"])
def test_heading_sentence_walks_and_pin_button_fit_a_phone(phone, walks, viewport, lang):
    phone.set_viewport_size(viewport)
    open_home(phone, lang)
    heading = phone.get_by_role("heading", level=1)
    for locator in (heading, phone.locator(".home-header__intro"), phone.locator("#pin-button"),
                    phone.locator(".home-walks__toggle")):
        expect(locator).to_be_visible()
        assert inside_viewport(phone, locator), locator
    assert phone.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    # the map keeps most of the screen
    assert phone.locator("#map").bounding_box()["height"] > viewport["height"] * 0.55

    phone.locator(".home-walks__toggle").click()
    panel = phone.locator(".home-walks__panel")
    expect(panel).to_be_visible()
    upcoming = panel.locator(f"a[href='/w/{walks['next']}']")
    past = panel.locator(f"a[href='/w/{walks['past']}']")
    expect(upcoming).to_be_visible()
    assert inside_viewport(phone, upcoming)
    past.scroll_into_view_if_needed()
    expect(past).to_be_visible()
    items = panel.locator(".home-walks__item")
    assert items.first.locator("a").get_attribute("href") == f"/w/{walks['next']}"  # next walk first
    when = items.first.locator(".home-walks__when")
    expect(when).to_contain_text(walks["next_local"].strftime("%H:%M"))  # 10:00 UTC in Duisburg's time
    expect(when).to_contain_text("Duisburger Zeit" if lang == "de" else "بتوقيت دويسبورغ")
    phone.screenshot(path=f"/tmp/pins_front_{lang}_{viewport['width']}.png")
    upcoming.click()
    expect(phone).to_have_url(f"{phone.url.split('/w/')[0].split('/?')[0]}/w/{walks['next']}")


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_front_door_is_axe_clean_with_the_walks_open(phone, walks, lang):
    open_home(phone, lang)
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()
    phone.locator(".home-walks__toggle").click()
    found, results = serious_violations(phone)
    assert found == [], results.generate_report()


def test_no_walks_says_so(phone):
    open_home(phone, "de")
    phone.locator(".home-walks__toggle").click()
    expect(phone.locator(".home-walks__panel")).to_contain_text("Zurzeit ist keine Begehung geplant.")


def test_count_bubbles_never_overlap_on_a_small_phone(phone, session):
    """Clumps of findings all over the centre, some astride the edge of two grid cells (whose
    bubbles would sit on top of each other): at 360×640 no two bubbles overlap by more than 3 px."""
    cell_m = BASE_CELL_M * 2 ** (BASE_ZOOM - 12)  # a cell of the zoom-12 home map
    first = math.ceil((6.70 / 180 * HALF_WORLD + HALF_WORLD) / cell_m)
    total = 0
    for i in range(4):
        for k in range(first, first + 6, 2):  # every other edge: two bubbles on one edge
            edge = (k * cell_m - HALF_WORLD) / HALF_WORLD * 180
            for dx in (-0.0002, 0.0002):
                make_finding(session, 51.40 + i * 0.012, edge + dx)
                total += 1
    session.commit()
    phone.set_viewport_size(PHONES[0])
    open_home(phone, "de")
    expect(phone.locator("body")).to_have_attribute("data-view-mode", "cells")
    bubbles = phone.locator(".cell-marker__count")
    expect(bubbles.first).to_be_visible()
    boxes = [bubbles.nth(i).bounding_box() for i in range(bubbles.count())]
    assert len(boxes) >= 2
    assert sum(int(phone.locator(".cell-marker").nth(i).get_attribute("data-count"))
               for i in range(len(boxes))) == total  # merged bubbles add up, nothing is lost
    for a, b in combinations(boxes, 2):
        dx = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
        dy = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
        assert min(dx, dy) <= 3, (a, b)
