"""An organiser signs in, draws a new walk on the map, finds it in the list and prints its handout."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from tests.auth.helpers import PASSWORD, make_organiser
from tests.factories import BISMARCKPLATZ, make_walk

pytestmark = pytest.mark.browser


def stored_walk(session):
    session.rollback()
    return session.execute(text("""
        SELECT w.title, w.join_code, GeometryType(w.route) AS route_type, ST_NumPoints(w.route) AS points,
               w.meeting_point IS NOT NULL AS has_meeting_point, sb.name AS stadtbezirk
        FROM walks w LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id""")).mappings().one()


def click_map(page, dx, dy):
    box = page.locator("#walk-editor-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)


def test_organiser_creates_a_walk_on_the_map_and_prints_the_handout(desktop, session, csrf_enabled):
    make_organiser(session)
    desktop.goto("/organiser/")
    expect(desktop).to_have_url(re.compile(r"/login\?next=%2Forganiser%2F$"))
    desktop.locator("#username").fill("orga")
    desktop.locator("#password").fill(PASSWORD)
    desktop.get_by_role("button", name="Anmelden").click()
    expect(desktop.get_by_role("heading", name="Begehungen")).to_be_visible()

    desktop.get_by_role("link", name="Neue Begehung").click()
    expect(desktop.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)
    desktop.locator("#title").fill("Ortsbegehung Hochfeld: Radwege")
    desktop.locator("#date").fill("2026-10-03")
    desktop.locator("#start_time").fill("14:00")

    click_map(desktop, 0, 0)
    expect(desktop.locator("#meeting_lat")).not_to_have_value("")
    desktop.get_by_label("Routenpunkt hinzufügen").check()
    for dx, dy in ((20, 10), (60, 30), (100, 20)):
        click_map(desktop, dx, dy)
    expect(desktop.locator("body")).to_have_attribute("data-route-points", "3")
    expect(desktop.locator("#route-status")).to_contain_text("3")
    desktop.get_by_role("button", name="Speichern").click()

    row = desktop.locator("tr", has_text="Ortsbegehung Hochfeld: Radwege")
    expect(row).to_be_visible()
    walk = stored_walk(session)
    assert walk["has_meeting_point"] and walk["stadtbezirk"] is not None
    assert (walk["route_type"], walk["points"]) == ("LINESTRING", 3)
    expect(row.locator(".join-link")).to_contain_text(f"/w/{walk['join_code']}")

    row.get_by_role("link", name="Handzettel mit QR-Code").click()
    expect(desktop.locator("h1")).to_have_text("Ortsbegehung Hochfeld: Radwege")
    qr = desktop.locator("svg.qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] > 300 and abs(box["width"] - box["height"]) < 2
    expect(desktop.locator(".handout__steps li")).to_have_count(3)


def sign_in(page, next_url):
    page.goto(next_url)
    page.locator("#username").fill("orga")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def map_view(page):
    """The editor map's zoom and [south, west, north, east] after its last move."""
    element = page.locator("#walk-editor-map")
    return int(element.get_attribute("data-zoom")), [float(v) for v in element.get_attribute("data-bounds").split(",")]


def ortsteil_centre(session, code):
    return session.execute(text("""
        SELECT ST_Y(c), ST_X(c) FROM (SELECT ST_Centroid(geom) AS c FROM districts
                                      WHERE level = 'ortsteil' AND code = :code) d"""), {"code": code}).one()


def shows(view, point):
    _zoom, (south, west, north, east) = view
    return south < point[0] < north and west < point[1] < east


def test_choosing_an_ortsteil_zooms_the_route_map_to_it(app, desktop, session, csrf_enabled):
    make_organiser(session)
    city_zoom = app.config["MAP_ZOOM"]
    sign_in(desktop, "/organiser/walks/new")
    assert map_view(desktop)[0] == city_zoom

    desktop.locator("#district").select_option("ortsteil:402")  # Alt-Homberg
    expect(desktop.locator("#walk-editor-map")).not_to_have_attribute("data-zoom", str(city_zoom))
    view = map_view(desktop)
    assert view[0] > city_zoom and shows(view, ortsteil_centre(session, "402"))
    expect(desktop.locator("#walk-editor-map path[fill-opacity='0.1']")).to_have_count(1)  # its outline, marked

    desktop.locator("#district").select_option("ortsteil:601")  # Rheinhausen-Mitte, 6 km away
    expect(desktop.locator("#walk-editor-map")).not_to_have_attribute("data-bounds", ",".join(map(str, view[1])))
    view = map_view(desktop)
    assert view[0] > city_zoom and shows(view, ortsteil_centre(session, "601"))
    assert not shows(view, ortsteil_centre(session, "402"))


def test_a_walk_with_an_ortsteil_opens_on_it(app, desktop, session, csrf_enabled):
    make_organiser(session)
    walk_id = make_walk(session, ortsteil_code="402")
    sign_in(desktop, f"/organiser/walks/{walk_id}/edit")
    view = map_view(desktop)
    assert view[0] > app.config["MAP_ZOOM"] and shows(view, ortsteil_centre(session, "402"))
    assert shows(view, BISMARCKPLATZ)
