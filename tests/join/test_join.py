"""Joining a walk from its link: one anonymous participant, cookie set, nickname optional."""
import uuid

import pytest
from sqlalchemy import text

from mapapp.findings.participants import COOKIE
from tests.auth.helpers import csrf_token
from tests.factories import make_walk


@pytest.fixture
def walk(session):
    walk_id = make_walk(session)
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    return {"id": walk_id, "code": code}


def participants(session):
    session.rollback()
    return session.execute(text("SELECT walk_id, nickname FROM participants")).all()


def test_join_page_shows_the_walk(client, walk):
    page = client.get(f"/w/{walk['code']}")
    assert page.status_code == 200
    assert "Ortsbegehung Alt-Homberg" in page.text and "Alt-Homberg" in page.text
    assert "Spitzname (optional)" in page.text and "Mitmachen" in page.text
    assert 'type="email"' not in page.text


@pytest.mark.parametrize("lang, when", [
    ("de", "Samstag, 12. September 2026, 12:00 Uhr (Duisburger Zeit)"),
    ("ar", "(بتوقيت دويسبورغ)"),
])
def test_join_page_names_the_time_zone_of_the_start(client, walk, lang, when):
    page = client.get(f"/w/{walk['code']}?lang={lang}")
    assert when in page.text  # 10:00 UTC is 12:00 in Duisburg's summer time


def test_joining_sets_the_cookie_and_creates_one_participant(client, session, walk):
    response = client.post(f"/w/{walk['code']}", data={"nickname": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/w/{walk['code']}/map"
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert participants(session) == [(walk["id"], None)]

    again = client.get(f"/w/{walk['code']}")
    assert "Weiter zur Karte" in again.text
    client.post(f"/w/{walk['code']}", data={"nickname": ""})
    assert participants(session) == [(walk["id"], None)]


def test_nickname_is_optional_and_stored(client, session, walk):
    client.post(f"/w/{walk['code']}", data={"nickname": "  Radlerin  "})
    assert participants(session) == [(walk["id"], "Radlerin")]


def test_overlong_nickname_is_refused(client, session, walk):
    response = client.post(f"/w/{walk['code']}", data={"nickname": "x" * 41})
    assert response.status_code == 422
    assert participants(session) == []


def test_joining_needs_the_csrf_token(client, session, walk, csrf_enabled):
    assert client.post(f"/w/{walk['code']}", data={"nickname": ""}).status_code == 400
    assert participants(session) == []
    token = csrf_token(client.get(f"/w/{walk['code']}").text)
    assert token
    assert client.post(f"/w/{walk['code']}", data={"csrf_token": token}).status_code == 302
    assert len(participants(session)) == 1


def test_walk_map_gets_the_walk_config(client, walk):
    page = client.get(f"/w/{walk['code']}/map")
    assert page.status_code == 200
    assert 'id="mapapp-config"' in page.text and str(walk["id"]) in page.text


@pytest.mark.parametrize("path, post_status", [("/w/{}", 404), ("/w/{}/map", 405), ("/w/{}/handout", 405)])
def test_unknown_join_code_is_404(client, path, post_status):
    """Only the join page takes a POST (the join button); the map and the handout are read-only."""
    response = client.get(path.format("nichtda1"))
    assert response.status_code == 404
    assert "Begehung nicht gefunden" in response.text
    assert client.post(path.format("nichtda1")).status_code == post_status


def test_walk_client_config(app, session, walk):
    from mapapp.join import walk_client_config
    from mapapp.walks.editing import walk_detail

    with app.test_request_context("/"):
        detail = walk_detail(session, walk["id"])
        config = walk_client_config(detail)
    assert config["walk_id"] == str(walk["id"]) and config["walk"] == detail
    assert config["center"] == [51.4565, 6.6995]
    assert config["api"]["findings"] == "/api/findings" and config["tiles"]["url"] == ""
    uuid.UUID(config["walk_id"])


@pytest.mark.parametrize("lang, district, coordinates", [
    ("de", "Ortsteil Alt-Homberg", "51,4565° N, 6,6995° O"),
    ("ar", "حي Alt-Homberg", "\u206651.4565°\u2069 شمالًا، \u20666.6995°\u2069 شرقًا"),
])
def test_join_page_names_the_meeting_point_then_district_and_coordinates(client, session, lang, district,
                                                                         coordinates):
    walk_id = make_walk(session, meeting_point_name="Bismarckplatz, vor dem Rathaus")
    code = session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()
    html = client.get(f"/w/{code}?lang={lang}").text
    place = html.split('<dd class="place">', 1)[1].split("</dd>", 1)[0]
    name, detail = place.split('class="place__name">', 1)[1].split('class="place__detail">', 1)
    assert name.startswith("<bdi>Bismarckplatz, vor dem Rathaus</bdi></span>")
    assert district in detail and coordinates in detail
