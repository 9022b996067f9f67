"""Pins that can always be reached: overlapping pins are grouped, two findings at the very
same spot spread out when their group is tapped (both open, both editable by their author),
and an open popup is never drawn under the map's controls."""
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, make_finding, make_walk

pytestmark = pytest.mark.browser

PIXEL_7 = {"width": 412, "height": 839}


@pytest.fixture
def walk(session):
    walk_id = make_walk(session, title="Leerstand am Bismarckplatz")
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar_one()
    return {"id": walk_id, "code": code}


def open_walk_map(page, walk):
    page.goto(f"/w/{walk['code']}/map")
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def settle(page):
    """Wait for the map to stop zooming: a group tapped mid-animation does not spread out."""
    page.wait_for_timeout(300)
    expect(page.locator(".leaflet-map-pane.leaflet-zoom-anim")).to_have_count(0)


def post_finding(page, walk, lat, lon, description):
    """Create a finding with the page's participant cookie, as the app's outbox would."""
    body = {"id": str(uuid.uuid4()), "lat": lat, "lon": lon, "accuracy_m": 5, "category": "empty_shop",
            "description": description, "walk_id": str(walk["id"])}
    response = page.request.post("/api/findings", data=body)
    assert response.ok, response.text()
    return body["id"]


def boxes_intersect(a, b):
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_two_findings_at_the_same_spot_both_open_and_are_editable(phone, session, walk):
    phone.set_viewport_size(PIXEL_7)
    open_walk_map(phone, walk)  # the participant cookie
    lat, lon = BISMARCKPLATZ[0] + 0.0004, BISMARCKPLATZ[1] + 0.0004
    ids = [post_finding(phone, walk, lat, lon, "erster"), post_finding(phone, walk, lat, lon, "zweiter")]
    open_walk_map(phone, walk)

    cluster = phone.locator(".finding-cluster")
    expect(cluster).to_have_count(1)
    expect(cluster).to_have_attribute("aria-label", "2 Funde an dieser Stelle – antippen, um sie einzeln zu zeigen")
    assert phone.locator(".finding-marker[data-finding-id]").count() == 0
    settle(phone)
    cluster.click()
    for finding_id, description in zip(ids, ("erster", "zweiter"), strict=True):
        leg = phone.locator(f".finding-marker[data-finding-id='{finding_id}']")
        expect(leg).to_be_visible()
        leg.click()
        popup = phone.locator(f".finding-popup[data-finding-id='{finding_id}']")
        expect(popup).to_contain_text(description)
        expect(popup.get_by_role("button", name="Bearbeiten")).to_be_visible()
        expect(popup.get_by_role("button", name="Löschen")).to_be_visible()
        phone.locator(".leaflet-popup-close-button").click()
        expect(popup).to_have_count(0)


def test_pins_apart_are_not_grouped(phone, session, walk):
    make_finding(session, BISMARCKPLATZ[0] + 0.004, BISMARCKPLATZ[1], walk_id=walk["id"])
    make_finding(session, BISMARCKPLATZ[0] - 0.004, BISMARCKPLATZ[1], walk_id=walk["id"])
    session.commit()
    open_walk_map(phone, walk)
    expect(phone.locator(".finding-marker[data-finding-id]")).to_have_count(2)
    expect(phone.locator(".finding-cluster")).to_have_count(0)


def centre_of(locator):
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


@pytest.mark.parametrize("viewport", [{"width": 360, "height": 640}, PIXEL_7])
def test_a_popup_near_the_top_left_stays_clear_of_the_zoom_control(phone, session, walk, viewport):
    phone.set_viewport_size(viewport)
    lat0, lon0 = BISMARCKPLATZ[0] + 0.0005, BISMARCKPLATZ[1] + 0.0005
    finding_id = make_finding(session, lat0, lon0, walk_id=walk["id"], description="oben links")
    session.commit()
    open_walk_map(phone, walk)
    # drag the map until the pin sits right beside the zoom control
    marker = phone.locator(f".finding-marker[data-finding-id='{finding_id}']")
    expect(marker).to_be_visible()
    settle(phone)
    fx, fy = centre_of(marker)
    zoom = phone.locator(".leaflet-control-zoom").bounding_box()
    x, y = zoom["x"] + zoom["width"] + 30, zoom["y"] + zoom["height"] / 2
    start = phone.locator("#map").bounding_box()
    sx, sy = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    phone.mouse.move(sx, sy)
    phone.mouse.down()
    phone.mouse.move(sx + (x - fx) / 2, sy + (y - fy) / 2, steps=5)
    phone.mouse.move(sx + x - fx, sy + y - fy, steps=5)
    phone.wait_for_timeout(300)  # no inertia
    phone.mouse.up()
    settle(phone)
    assert abs(centre_of(marker)[1] - y) < 20 and abs(centre_of(marker)[0] - x) < 20
    marker.click()
    popup = phone.locator(".leaflet-popup")
    expect(popup).to_contain_text("oben links")
    phone.wait_for_timeout(800)  # the auto-pan
    zoom = phone.locator(".leaflet-control-zoom").bounding_box()
    assert not boxes_intersect(popup.bounding_box(), zoom), (popup.bounding_box(), zoom)


def test_an_open_popup_survives_a_zoom_and_closes_when_its_pin_is_grouped(phone, session, walk):
    """The group draws its pins anew after each zoom; the open popup stays while its pin is
    still on the map (before, every zoom closed it, also the saved finding's popup while the
    map zoomed to the GPS fix) and closes once the pin has gone into a count bubble."""
    lat, lon = BISMARCKPLATZ
    finding_id = make_finding(session, lat, lon, walk_id=walk["id"], description="bleibt offen")
    make_finding(session, lat + 0.002, lon, walk_id=walk["id"], description="Nachbar")
    session.commit()
    open_walk_map(phone, walk)
    settle(phone)
    marker = phone.locator(f".finding-marker[data-finding-id='{finding_id}']")
    for _ in range(4):
        if marker.count():
            break
        phone.locator(".leaflet-control-zoom-in").click()
        settle(phone)
    marker.click()
    popup = phone.locator(f".finding-popup[data-finding-id='{finding_id}']")
    expect(popup).to_contain_text("bleibt offen")
    settle(phone)

    phone.locator(".leaflet-control-zoom-in").click()
    settle(phone)
    phone.wait_for_timeout(300)
    expect(popup).to_have_count(1)
    expect(popup).to_contain_text("bleibt offen")

    for _ in range(6):
        if phone.locator(".finding-cluster").count():
            break
        phone.locator(".leaflet-control-zoom-out").click()
        settle(phone)
    expect(phone.locator(".finding-cluster")).to_have_count(1)
    expect(popup).to_have_count(0)


# Counts the pin group's addLayer/addLayers calls: traps the assignment of L.MarkerClusterGroup
# (markercluster's UMD build sets it on the `L` that shared/leaflet.js makes global) and wraps
# the two methods of its prototype.
COUNT_PIN_ADDS = """
(() => {
  const calls = { addLayer: 0, addLayers: 0 };
  window.__pinAdds = calls;
  let leaflet;
  Object.defineProperty(window, 'L', { configurable: true, get: () => leaflet, set(value) {
    leaflet = value;
    let group;
    Object.defineProperty(value, 'MarkerClusterGroup', { configurable: true, get: () => group, set(cls) {
      group = cls;
      for (const name of ['addLayer', 'addLayers']) {
        const original = cls.prototype[name];
        cls.prototype[name] = function (...args) { calls[name] += 1; return original.apply(this, args); };
      }
    } });
  } });
})();
"""


def test_a_walks_pins_join_their_group_in_one_batch(phone, session, walk):
    """Issue 14: one pin at a time, the group regrouped after each and blocked the page on load."""
    for i in range(12):
        make_finding(session, BISMARCKPLATZ[0] + 0.001 * i, BISMARCKPLATZ[1], walk_id=walk["id"])
    session.commit()
    phone.add_init_script(COUNT_PIN_ADDS)
    open_walk_map(phone, walk)
    expect(phone.locator("body")).to_have_attribute("data-findings-loaded", "12")
    calls = phone.evaluate("window.__pinAdds")
    assert calls["addLayers"] >= 1 and calls["addLayer"] < 12, calls
    # the pins are on the map, grouped or single
    assert phone.locator(".finding-marker[data-finding-id], .finding-cluster").count() >= 1
