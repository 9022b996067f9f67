"""Phone pages at 360×640 in German and Arabic: the walk map's header cuts neither the start of the
title nor the link to the walk's page, and the join page names the time zone and shows "Mitmachen"
without scrolling."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.browser.conftest import boxes, intersect
from tests.factories import make_walk

pytestmark = pytest.mark.browser


@pytest.fixture
def join_code(session):
    """A walk in Alt-Homberg with a Latin title, a meeting point's name and no description."""
    walk_id = make_walk(session, title="Leerstand am Bismarckplatz", meeting_point_name="Bismarckplatz, am Brunnen")
    return session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar_one()


FIRST_LETTER = """(node) => {
  const start = node.textContent.search(/\\S/), range = document.createRange();
  range.setStart(node.firstChild, start);
  range.setEnd(node.firstChild, start + 1);
  const r = range.getBoundingClientRect(), b = node.getBoundingClientRect();
  return [{left: r.left, right: r.right}, {left: b.left, right: b.right}];
}"""


def test_walk_header_keeps_the_title_start_and_the_whole_link(phone_de_ar, join_code):
    page = phone_de_ar
    page.goto(f"/w/{join_code}/map?lang={page.lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    for part in (".walk-header__title", ".walk-header__district"):  # "Leerstand am …", "Alt-Homberg"
        node = page.locator(part)
        assert node.evaluate("(node) => getComputedStyle(node).direction") == "ltr", f"{part}: Latin reads left to right"
        first_letter, box = node.evaluate(FIRST_LETTER)
        assert box["left"] <= first_letter["left"] and first_letter["right"] <= box["right"], f"{part}: its start shows"

    link = page.locator(".walk-header__meta a")
    expect(link).to_be_visible()
    link_box, meta_box = boxes(page, ".walk-header__meta a")[0], boxes(page, ".walk-header__meta")[0]
    assert meta_box["left"] <= link_box["left"] and link_box["right"] <= meta_box["right"], "the link is not cut"
    assert link.evaluate("(node) => node.scrollWidth <= node.clientWidth + 1")
    assert not intersect(link_box, boxes(page, ".lang-switch__toggle")[0])


def test_join_page_names_the_zone_and_fits_mitmachen_on_a_small_phone(phone_de_ar, join_code):
    page = phone_de_ar
    page.goto(f"/w/{join_code}?lang={page.lang}")
    expect(page.locator(".facts dd").first).to_contain_text("Duisburger Zeit" if page.lang == "de" else "بتوقيت دويسبورغ")
    join = boxes(page, "#join-button")[0]
    assert join["bottom"] <= 640 and join["bottom"] - join["top"] >= 44, join
