"""Nothing on a phone's map hides what it marks: count bubbles stay clear of the map's controls and
the floating buttons (in both directions), and pins lie above the meeting point's flag, whose head
still shows."""
import math
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.findings import store as findings
from tests.browser.conftest import boxes, checked_page, intersect
from tests.browser.test_offline import join_walk, pin
from tests.factories import BISMARCKPLATZ, make_finding, make_walk

pytestmark = pytest.mark.browser

def centre(box):
    return (box["left"] + box["right"]) / 2, (box["top"] + box["bottom"]) / 2


def lat_lon_at(page, x, y):
    """The place under viewport point (x, y) on the home map's first view (Web Mercator, as Leaflet)."""
    config = page.evaluate("() => JSON.parse(document.getElementById('mapapp-config').textContent)")
    (lat0, lon0), zoom = config["center"], config["zoom"]
    frame = boxes(page, "#map")[0]
    size = 256 * 2 ** zoom
    cx = (lon0 + 180) / 360 * size
    cy = (1 - math.log(math.tan(math.radians(lat0)) + 1 / math.cos(math.radians(lat0))) / math.pi) / 2 * size
    px = cx + x - (frame["left"] + frame["right"]) / 2
    py = cy + y - (frame["top"] + frame["bottom"]) / 2
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / size))))
    return lat, px / size * 360 - 180


def test_count_bubbles_are_never_under_a_map_control_or_button(phone_de_ar, session):
    page = phone_de_ar
    page.goto(f"/?lang={page.lang}")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    zoom_control = boxes(page, ".leaflet-control-zoom")[0]
    layers_control = boxes(page, ".leaflet-control-layers")[0]
    mine_button = boxes(page, "#mine-button")[0]
    # A finding under the middle of each, and the one in Alt-Homberg that was drawn under the
    # zoom buttons (at 360×640 in German).
    places = [lat_lon_at(page, *centre(box)) for box in (zoom_control, layers_control, mine_button)]
    for lat, lon in [*places, BISMARCKPLATZ]:
        make_finding(session, lat, lon)

    page.reload()
    expect(page.locator("body")).to_have_attribute("data-view-mode", "cells", timeout=15000)
    expect(page.locator(".cell-marker")).not_to_have_count(0)
    counts = page.locator(".cell-marker").evaluate_all("(nodes) => nodes.map((n) => Number(n.dataset.count))")
    assert sum(counts) == 4, "every finding is counted in a bubble"
    covering = boxes(page, ".leaflet-control, [data-map-overlay]")
    bubbles = boxes(page, ".cell-marker__count")
    for bubble in bubbles:
        assert not any(intersect(bubble, box) for box in covering), (bubble, covering)
        hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y)?.closest('.cell-marker') !== null",
                            list(centre(bubble)))
        assert hit, f"the bubble at {bubble} can be tapped"
    map_box = boxes(page, "#map")[0]
    assert all(map_box["top"] <= b["top"] and b["bottom"] <= map_box["bottom"] for b in bubbles)

    # A tap on a moved bubble still zooms in on its own findings.
    page.locator(".cell-marker").first.click()
    expect(page.locator(".cell-marker, .finding-marker, .finding-cluster")).not_to_have_count(0)


@pytest.fixture
def walk_at_bismarckplatz(session):
    walk_id = make_walk(session, title="Leerstand am Bismarckplatz")
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar_one()
    return {"id": walk_id, "code": code}


def others_finding(session, walk_id, lat, lon):
    participant = uuid.uuid4()
    session.execute(text("INSERT INTO participants (id, walk_id) VALUES (:id, :walk)"), {"id": participant, "walk": walk_id})
    new = findings.NewFinding(id=uuid.uuid4(), category="empty_shop", geometry=findings.point_geometry(lat, lon),
                              walk_id=walk_id, participant_id=participant)
    findings.create_finding(session, new)
    session.commit()
    return new.id


TOP_ELEMENT = """([x, y]) => {
  const node = document.elementFromPoint(x, y);
  return node?.closest('.finding-marker, .finding-cluster, .meeting-marker')?.className ?? node?.className;
}"""


@pytest.mark.parametrize("pins", [1, 2], ids=["pin", "group"])
def test_pins_on_the_meeting_point_lie_above_its_flag_whose_head_still_shows(phone, session, walk_at_bismarckplatz, pins):
    for _ in range(pins):
        others_finding(session, walk_at_bismarckplatz["id"], *BISMARCKPLATZ)
    phone.goto(f"/w/{walk_at_bismarckplatz['code']}/map")
    expect(phone.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    pin = phone.locator(".finding-marker[data-finding-id]" if pins == 1 else ".finding-cluster[data-count='2']")
    expect(pin).to_be_visible()
    expect(phone.locator(".meeting-marker")).to_be_visible()

    pin_box = boxes(phone, ".finding-marker[data-finding-id]" if pins == 1 else ".finding-cluster")[0]
    assert "meeting-marker" not in phone.evaluate(TOP_ELEMENT, list(centre(pin_box)))
    head = boxes(phone, ".meeting-marker__flag")[0]
    assert "meeting-marker" in phone.evaluate(TOP_ELEMENT, list(centre(head))), "the flag's head shows above the pin"

    pin.click()  # the pin, not the flag, answers the tap
    expect(phone.locator(".finding-popup" if pins == 1 else ".finding-marker[data-finding-id]")).not_to_have_count(0)



FREE = """(selector) => [...document.querySelectorAll(selector)].filter((e) => e.offsetWidth > 0).map((element) => {
  const r = element.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight
    && element.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2));
})"""


@pytest.mark.parametrize("lang", ["de", "ar"])
def test_a_sent_findings_popup_has_its_buttons_clear_of_the_sync_line(browser, live_server, request, session, lang):
    """After "Senden" the new pin's popup opens (photo, places, time, Bearbeiten/Löschen). On a
    360×640 phone nothing covers its buttons: not the buttons over the map (they would catch the
    tap) and not the sync line, which catches no taps but hid them in Arabic; a popup taller than
    the room above the line makes it step aside until the popup closes."""
    with checked_page(browser, request, viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True,
                      base_url=live_server, permissions=["geolocation"]) as page:
        join_walk(page, session, lang)
        pin(page, "empty_shop", (200, 30, 30), 30)
        popup = page.locator(".finding-popup")
        expect(popup.locator("button:visible")).to_have_count(2)
        page.wait_for_timeout(600)  # the pan to the popup
        assert page.evaluate(FREE, ".finding-popup button") == [True, True]
        line = page.locator("#sync-status")
        if line.is_visible():
            [line_box] = boxes(page, "#sync-status")
            assert not any(intersect(button, line_box) for button in boxes(page, ".finding-popup button"))
        page.locator(".leaflet-popup-close-button").click()
        expect(line).to_be_visible()
