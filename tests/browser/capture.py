"""The capture flow in a browser, step by step, and the places and fixtures its tests share.

The walk map's tests (test_walk_capture.py) and those of the steps, photos, offline sending,
one's own findings and the languages all pin findings the same way: through these helpers.
"""
import io
import re
import time
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import text

from mapapp.findings import store as findings
from tests.factories import BISMARCKPLATZ, finding_payload, make_walk

METRES_PER_DEGREE_LAT = 111_200


def jpeg(gps: tuple[float, float] | None = None, colour=(200, 120, 40)) -> bytes:
    """A small JPEG made here; with `gps` (lat, lon) its EXIF carries that place (north/east)."""
    image = Image.new("RGB", (640, 480), colour)
    exif = Image.Exif()
    if gps:
        def dms(value):
            degrees, rest = int(value), (value - int(value)) * 60
            return (float(degrees), float(int(rest)), round((rest - int(rest)) * 60, 4))
        ifd = exif.get_ifd(0x8825)  # GPSInfo
        ifd.update({1: "N", 2: dms(gps[0]), 3: "E", 4: dms(gps[1])})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def file_payload(data: bytes, name="foto.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def eventually(check, timeout=10.0):
    """Poll `check` (a database query) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def row(session, sql, **params):
    session.rollback()  # see what the live server committed
    return session.execute(text(sql), params).mappings().first()


def rows(session, sql, **params):
    session.rollback()
    return session.execute(text(sql), params).mappings().all()


def others_finding(session, walk_id, lat, lon, category="empty_shop", description=None) -> uuid.UUID:
    """A finding of the walk made by another participant."""
    participant = uuid.uuid4()
    session.execute(text("INSERT INTO participants (id, walk_id) VALUES (:id, :walk)"), {"id": participant, "walk": walk_id})
    new = findings.NewFinding(id=uuid.uuid4(), category=category, geometry=findings.point_geometry(lat, lon),
                              description=description, walk_id=walk_id, participant_id=participant)
    findings.create_finding(session, new)
    return new.id


@pytest.fixture
def walk(session):
    walk_id = make_walk(session, title="Leerstand am Bismarckplatz")
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar_one()
    return {"id": walk_id, "code": code}


@pytest.fixture
def damage_required(session):
    """Make the cycle path's "Was ist kaputt?" a required question for one test."""
    session.execute(text("UPDATE category_attributes SET required = true WHERE category_slug = 'cycle_path' AND code = 'damage'"))
    session.commit()
    yield
    session.rollback()
    session.execute(text("UPDATE category_attributes SET required = false WHERE category_slug = 'cycle_path' AND code = 'damage'"))
    session.commit()


def open_walk_map(page, walk):
    response = page.goto(f"/w/{walk['code']}/map")
    assert response.status == 200, f"the walk map answered {response.status}"
    expect(page.locator("body")).to_have_attribute("data-ready", "1", timeout=15000)


def start_finding(page, category=None, accuracy_m=12):
    """Open the sheet, place the pin by GPS, go on to the category step and (given one) choose it and
    go on: the sheet then shows the category's questions, the +1 offer, or (nothing to ask) the last step.

    ``accuracy_m`` is the accuracy the page's geolocation reports (the sheet shows it)."""
    page.locator("#pin-button").click()
    page.locator("#locate-button").click()
    expect(page.locator("#accuracy-text")).to_contain_text(str(accuracy_m))
    page.locator("#next-button").click()
    if category:
        page.locator(f"input[name=category][value={category}]").check()
        page.locator("#next-button").click()


def to_last_step(page):
    """From the category step on: "Weiter" until the last step (text, photos, urgency) shows."""
    send = page.locator("#send-button")
    # Leaving the category step waits for the look-up of similar findings nearby.
    expect(page.locator("#capture-sheet .step:not([hidden])")).to_have_attribute("data-step", re.compile("^[23]$"))
    for _ in range(2):
        if send.is_visible():
            break
        page.locator("#next-button").click()
    expect(send).to_be_visible()


def saved_popup(page, expected_text="Alt-Homberg"):
    """The popup of the finding just sent, once the server's version replaced the pending one."""
    popup = page.locator(".finding-popup:not([data-pending])").last
    expect(popup).to_contain_text(expected_text, timeout=10000)
    return popup


def north(metres):
    """The latitude ``metres`` north of Bismarckplatz."""
    return BISMARCKPLATZ[0] + metres / 111_200


def post_finding(page, **fields) -> str:
    """Store a finding as this browser's participant (its cookie); return its id."""
    body = finding_payload(**fields)
    response = page.request.post("/api/findings", data=body)
    assert response.status == 201, response.text()
    return body["id"]
