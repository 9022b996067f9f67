"""The follow link's pages: made from "Meine Funde", replaced, shown on another device, taken over."""
import hashlib
import logging
import re

import pytest
from sqlalchemy import text

from tests.conftest import make_app
from tests.factories import make_finding
from tests.follow.helpers import (
    CONCERN_SUMMARY, CONCERN_TITLE, FOLLOW_PATH, INTERNAL_NOTE, OWN_TEXT, PUBLIC_MESSAGE, group_with_updates,
    make_link, pin,
)
from tests.photos.images import jpeg, picture

PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow"}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def owner(app):
    return app.test_client()


@pytest.fixture
def other_phone(app):
    return app.test_client()


def assert_private(response):
    for name, value in PRIVATE.items():
        assert response.headers[name] == value, name
    assert "Set-Cookie" not in response.headers or "mapapp_participant" not in response.headers["Set-Cookie"]


def test_meine_funde_leads_to_the_link_page(owner):
    assert 'href="/me/follow-link"' in owner.get("/").get_data(as_text=True)
    page = owner.get("/me/follow-link")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Link erstellen" in body and "mit deinen Texten und Fotos" in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert_private(page)


def test_without_a_participant_no_link_is_made(owner, session):
    response = owner.post("/me/follow-link")
    assert response.status_code == 200
    assert "noch keine Funde" in response.get_data(as_text=True)
    assert session.execute(text("SELECT count(*) FROM participants")).scalar() == 0


def test_making_a_link_shows_it_once_with_a_qr_code(owner, session, photo_storage):
    finding = pin(owner, description=OWN_TEXT)
    photo = jpeg(picture())
    stored = owner.put(f"/api/findings/{finding}/photos/{hashlib.sha256(photo).hexdigest()}", data=photo,
                       headers={"Content-Type": "image/jpeg"})
    assert stored.status_code == 201
    token = make_link(owner)
    page = owner.get(f"/f/{token}")
    assert page.status_code == 200
    assert_private(page)
    body = page.get_data(as_text=True)
    assert f'value="http://localhost/f/{token}"' in body
    assert 'class="qr"' in body and "Neuen Link erstellen" in body
    assert OWN_TEXT in body and "Alt-Homberg" in body and "Gesendet, noch nicht bearbeitet" in body
    assert re.search(r"\d\d:\d\d MES?Z", body), "the time names Duisburg's zone"
    thumb = re.search(rf'src="(/f/{token}/photos/[0-9a-f]{{64}}/thumb.jpg)"', body).group(1)
    assert 'alt="Foto 1"' in body
    served = owner.get(thumb)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert_private(served)
    assert "Auf diesem Gerät übernehmen" not in body
    again = owner.get("/me/follow-link").get_data(as_text=True)
    assert token not in again and "Du hast schon einen Link" in again


def test_replacing_the_link_ends_the_old_one(owner):
    pin(owner)
    old = make_link(owner)
    new = make_link(owner)
    assert new != old
    gone = owner.get(f"/f/{old}")
    assert gone.status_code == 404
    assert "Link nicht gefunden" in gone.get_data(as_text=True)
    assert_private(gone)
    assert owner.get(f"/f/{new}").status_code == 200


@pytest.mark.parametrize("path", [
    "/f/x", "/f/" + "A" * 43, "/f/" + "a" * 5000, "/f/%00%ff", "/f/%E2%80%AE" + "a" * 42,
    "/f/" + "A" * 43 + "/take-over",
])
def test_a_bad_token_is_a_404_page_not_a_500(other_phone, path):
    response = other_phone.get(path) if not path.endswith("take-over") else other_phone.post(path)
    assert response.status_code == 404
    assert "Link nicht gefunden" in response.get_data(as_text=True)
    assert_private(response)


def test_the_page_shows_status_and_public_updates_but_never_internal_texts(owner, other_phone, session):
    finding = pin(owner, category="empty_shop", description=OWN_TEXT)
    make_finding(session, category="empty_shop", description="Fremder Fund")
    group_with_updates(session, finding)
    token = make_link(owner)
    for client in (owner, other_phone):
        body = client.get(f"/f/{token}?lang=de").get_data(as_text=True)
        assert "Stand: Bestätigt" in body and "Stand: In Prüfung" in body and "Stand: Neu" in body
        assert PUBLIC_MESSAGE in body and OWN_TEXT in body
        for internal in (INTERNAL_NOTE, CONCERN_TITLE, CONCERN_SUMMARY, "Rita", "Fremder Fund"):
            assert internal not in body
        assert body.index("Stand: Bestätigt</p>") < body.index(PUBLIC_MESSAGE) < body.index("Stand: In Prüfung</p>")


def test_the_page_is_translated(owner, other_phone, session):
    group_with_updates(session, pin(owner))
    token = make_link(owner)
    body = other_phone.get(f"/f/{token}?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in body and "Auf diesem Gerät übernehmen" not in body and "Stand:" not in body


def test_taking_over_moves_the_participant_to_another_device(app, owner, other_phone, csrf_enabled):
    mine = {pin(owner), pin(owner)}
    token = make_link_with_csrf(owner)
    page = other_phone.get(f"/f/{token}").get_data(as_text=True)
    assert "Auf diesem Gerät übernehmen" in page and 'class="qr"' not in page
    assert other_phone.get("/api/me/findings").get_json()["features"] == []

    refused = other_phone.post(f"/f/{token}/take-over")
    assert refused.status_code == 400 and other_phone.get_cookie("mapapp_participant") is None
    taken = other_phone.post(f"/f/{token}/take-over", data={"csrf_token": CSRF.search(page).group(1)})
    assert taken.status_code == 303 and taken.headers["Location"] == f"/f/{token}"
    cookie = taken.headers["Set-Cookie"]
    assert "mapapp_participant=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    listed = other_phone.get("/api/me/findings").get_json()["features"]
    assert {feature["id"] for feature in listed} == mine
    assert "Link kopieren" in other_phone.get(f"/f/{token}").get_data(as_text=True)


def make_link_with_csrf(client) -> str:
    page = client.get("/me/follow-link").get_data(as_text=True)
    response = client.post("/me/follow-link", data={"csrf_token": CSRF.search(page).group(1)})
    assert response.status_code == 303
    return FOLLOW_PATH.search(response.headers["Location"]).group(1)


def test_a_page_the_service_worker_stores_mints_no_participant(other_phone):
    """The worker's copy of a map page, fetched while a phone takes a link over, must not answer
    with a new participant's cookie that would replace the one just taken over."""
    stored = other_phone.get("/", headers={"Sec-Fetch-Dest": "empty", "Sec-Fetch-Mode": "same-origin"})
    assert stored.status_code == 200 and "mapapp_participant" not in stored.headers.get("Set-Cookie", "")
    visited = other_phone.get("/", headers={"Sec-Fetch-Dest": "document", "Sec-Fetch-Mode": "navigate"})
    assert "mapapp_participant=" in visited.headers["Set-Cookie"]


def test_taking_over_warns_when_this_device_has_findings_of_its_own(owner, other_phone):
    pin(owner)
    pin(other_phone)
    token = make_link(owner)
    assert "schon andere Funde" in other_phone.get(f"/f/{token}").get_data(as_text=True)


def test_the_link_never_reaches_the_request_log(owner, caplog):
    pin(owner)
    token = make_link(owner)
    caplog.set_level(logging.INFO, logger="mapapp.access")
    for path in (f"/f/{token}", f"/f/{token}x"):
        owner.get(path).close()  # the line is written when the server closes the response
    paths = [record.path for record in caplog.records if record.name == "mapapp.access"]
    assert paths == ["/f/<token>", "/f/<token>"]
    assert token not in caplog.text


def test_link_requests_are_rate_limited(app):
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, FOLLOW_RATE_LIMIT="3 per minute")
    client = limited.test_client()
    answers = [client.get("/f/" + "B" * 43).status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    refused = client.get("/f/" + "B" * 43)
    assert "Zu viele Aufrufe" in refused.get_data(as_text=True)
    assert_private(refused)


def test_a_link_serves_its_own_photos_only(owner, other_phone, photo_storage):
    def upload(client):
        finding = pin(client)
        photo = jpeg(picture(colour=(10, 200 if client is owner else 20, 30)))
        sha = hashlib.sha256(photo).hexdigest()
        answer = client.put(f"/api/findings/{finding}/photos/{sha}", data=photo, headers={"Content-Type": "image/jpeg"})
        assert answer.status_code == 201
        return answer.get_json()["url"].split("/")[2]

    own, foreign = upload(owner), upload(other_phone)
    token = make_link(owner)
    for kind in ("thumb", "web"):
        assert other_phone.get(f"/f/{token}/photos/{own}/{kind}.jpg").status_code == 200
    for path in (f"/f/{token}/photos/{foreign}/web.jpg", f"/f/{token}/photos/{own}/original.jpg",
                 f"/f/{token}/photos/{own.upper()}/web.jpg", f"/f/{'A' * 43}/photos/{own}/web.jpg"):
        assert other_phone.get(path).status_code == 404, path


def test_the_photos_of_a_found_link_do_not_use_up_the_limit(app, photo_storage):
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True, FOLLOW_RATE_LIMIT="3 per minute")
    limited.extensions["photo_storage"] = photo_storage
    client = limited.test_client()
    finding = pin(client)
    photo = jpeg(picture())
    assert client.put(f"/api/findings/{finding}/photos/{hashlib.sha256(photo).hexdigest()}", data=photo,
                      headers={"Content-Type": "image/jpeg"}).status_code == 201
    token = make_link(client)
    thumb = re.search(r'src="(/f/[^"]+/thumb.jpg)"', client.get(f"/f/{token}").get_data(as_text=True)).group(1)
    assert [client.get(thumb).status_code for _ in range(6)] == [200] * 6
    assert client.get(f"/f/{token}").status_code == 200
    assert 429 in [client.get(f"/f/{token}").status_code for _ in range(3)]
