"""Organisers create and edit walks through the form; what they enter lands in PostGIS."""
import json
import re
import uuid

import pytest
from sqlalchemy import text

from tests.auth.helpers import log_in, make_organiser
from tests.factories import AMSTERDAM, BISMARCKPLATZ, RHEINHAUSEN_MARKT

ROUTE = [[6.6995, 51.4565], [6.7010, 51.4572], [6.7030, 51.4580]]


@pytest.fixture
def organiser(client, session):
    account = make_organiser(session)
    log_in(client)
    return account


def form_data(**overrides):
    data = {
        "title": "Ortsbegehung Alt-Homberg", "topic": "Leerstand", "description": "Rundgang",
        "date": "2026-09-12", "start_time": "10:00", "end_time": "12:30", "district": "",
        "meeting_lat": str(BISMARCKPLATZ[0]), "meeting_lon": str(BISMARCKPLATZ[1]),
        "route": json.dumps({"type": "LineString", "coordinates": ROUTE}),
        "categories": ["empty_shop", "cycle_path"],
    }
    data.update(overrides)
    return data


def stored_walk(session):
    session.rollback()
    return session.execute(text("""
        SELECT w.id, w.title, w.created_by_id, ST_AsText(w.meeting_point) AS meeting_point,
               GeometryType(w.route) AS route_type, ST_NumPoints(w.route) AS route_points,
               ot.name AS ortsteil, sb.name AS stadtbezirk,
               to_char(w.starts_at AT TIME ZONE 'Europe/Berlin', 'YYYY-MM-DD HH24:MI') AS starts,
               to_char(w.ends_at AT TIME ZONE 'Europe/Berlin', 'HH24:MI') AS ends,
               ARRAY(SELECT category_slug FROM walk_categories wc WHERE wc.walk_id = w.id
                     ORDER BY category_slug) AS categories
        FROM walks w LEFT JOIN districts ot ON ot.id = w.ortsteil_id
        LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id""")).mappings().one()


def test_new_walk_form_offers_all_categories_and_districts(client, organiser):
    page = client.get("/organiser/walks/new")
    assert page.status_code == 200
    assert page.text.count('type="checkbox"') >= 5 and 'checked' in page.text
    assert '<optgroup label="Stadtbezirk Homberg/Ruhrort/Baerl">' in page.text
    assert 'value="ortsteil:402"' in page.text
    assert 'id="walk-editor-config"' in page.text and "js/organiser/walk-editor.js" in page.text


def test_create_walk_through_the_form(client, session, organiser):
    response = client.post("/organiser/walks/new", data=form_data())
    assert response.status_code == 302, response.text
    assert response.headers["Location"] == "/organiser/"

    walk = stored_walk(session)
    assert walk["title"] == "Ortsbegehung Alt-Homberg" and walk["created_by_id"] == organiser.id
    assert walk["meeting_point"] == "POINT(6.6995 51.4565)"
    assert (walk["route_type"], walk["route_points"]) == ("LINESTRING", 3)
    assert (walk["ortsteil"], walk["stadtbezirk"]) == ("Alt-Homberg", "Homberg/Ruhrort/Baerl")
    assert (walk["starts"], walk["ends"]) == ("2026-09-12 10:00", "12:30")
    assert walk["categories"] == ["cycle_path", "empty_shop"]

    listing = client.get("/organiser/").text
    assert "Ortsbegehung Alt-Homberg" in listing and "Alt-Homberg" in listing
    code = session.execute(text("SELECT join_code FROM walks")).scalar()
    assert f"http://localhost/w/{code}" in listing and f"/w/{code}/handout" in listing


def test_chosen_district_wins_over_the_meeting_point(client, session, organiser):
    response = client.post("/organiser/walks/new", data=form_data(district="stadtbezirk:6", route=""))
    assert response.status_code == 302
    walk = stored_walk(session)
    assert (walk["ortsteil"], walk["stadtbezirk"]) == (None, "Rheinhausen")
    assert walk["route_type"] is None


@pytest.mark.parametrize("overrides, field_error", [
    ({"meeting_lat": str(AMSTERDAM[0]), "meeting_lon": str(AMSTERDAM[1])}, "außerhalb von Duisburg"),
    ({"route": json.dumps({"type": "LineString", "coordinates": [ROUTE[0], [AMSTERDAM[1], AMSTERDAM[0]]]})},
     "verlässt Duisburg"),
    ({"route": json.dumps({"type": "LineString", "coordinates": [ROUTE[0]]})}, "mindestens zwei Punkte"),
    ({"title": " "}, "Bitte einen Titel angeben"),
    ({"meeting_lat": ""}, "Treffpunkt"),
    ({"end_time": "09:00"}, "nach dem Beginn"),
    ({"categories": []}, "mindestens eine Kategorie"),
    ({"district": "ortsteil:999"}, "Keine gültige Auswahl"),
])
def test_wrong_input_is_shown_in_the_form_and_nothing_stored(client, session, organiser, overrides, field_error):
    response = client.post("/organiser/walks/new", data=form_data(**overrides))
    assert response.status_code == 422
    assert field_error in response.text, re.findall(r"field-error[^<]*<", response.text)
    assert 'class="field-error"' in response.text
    assert session.execute(text("SELECT count(*) FROM walks")).scalar() == 0


def test_typed_coordinates_with_decimal_comma(client, session, organiser):
    lat, lon = RHEINHAUSEN_MARKT
    data = form_data(meeting_lat=str(lat).replace(".", ","), meeting_lon=str(lon).replace(".", ","), route="")
    assert client.post("/organiser/walks/new", data=data).status_code == 302
    assert stored_walk(session)["stadtbezirk"] == "Rheinhausen"


def test_edit_walk(client, session, organiser):
    client.post("/organiser/walks/new", data=form_data())
    walk_id = stored_walk(session)["id"]
    page = client.get(f"/organiser/walks/{walk_id}/edit")
    assert page.status_code == 200
    assert 'value="Ortsbegehung Alt-Homberg"' in page.text and 'value="2026-09-12"' in page.text
    assert 'value="ortsteil:402" selected' in page.text

    changed = form_data(title="Neuer Titel", route="", categories=["noise"])
    assert client.post(f"/organiser/walks/{walk_id}/edit", data=changed).status_code == 302
    walk = stored_walk(session)
    assert walk["id"] == walk_id and walk["title"] == "Neuer Titel"
    assert walk["route_type"] is None and walk["categories"] == ["noise"]


def test_edit_unknown_walk_is_404(client, organiser):
    assert client.get(f"/organiser/walks/{uuid.uuid4()}/edit").status_code == 404


def test_meeting_point_name_is_stored_and_shown_for_editing(client, session, organiser):
    data = form_data(meeting_point_name="  Bismarckplatz, vor dem Rathaus ")
    assert client.post("/organiser/walks/new", data=data).status_code == 302
    walk_id = stored_walk(session)["id"]
    stored = session.execute(text("SELECT meeting_point_name FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    assert stored == "Bismarckplatz, vor dem Rathaus"
    page = client.get(f"/organiser/walks/{walk_id}/edit").text
    assert 'value="Bismarckplatz, vor dem Rathaus"' in page and "Name des Treffpunkts" in page

    assert client.post(f"/organiser/walks/{walk_id}/edit", data=form_data(meeting_point_name="")).status_code == 302
    assert session.execute(text("SELECT meeting_point_name FROM walks")).scalar() is None


def test_overlong_meeting_point_name_is_refused(client, session, organiser):
    response = client.post("/organiser/walks/new", data=form_data(meeting_point_name="x" * 201))
    assert response.status_code == 422
    assert 'id="meeting_point_name-error"' in response.text
    assert session.execute(text("SELECT count(*) FROM walks")).scalar() == 0


def test_district_options_carry_their_extent(client, organiser):
    """The walk form's map zooms to the chosen district from these bounds (static/js/organiser/walk-editor.js)."""
    page = client.get("/organiser/walks/new").text
    option = re.search(r'<option value="ortsteil:402"[^>]*>', page).group(0)
    (south, west), (north, east) = json.loads(re.search(r"data-bounds='([^']+)'", option).group(1))
    assert south < BISMARCKPLATZ[0] < north and west < BISMARCKPLATZ[1] < east
    assert north - south < 0.05  # Alt-Homberg, not the whole city
    assert re.search(r'<option value="stadtbezirk:4"[^>]*data-bounds=', page)
