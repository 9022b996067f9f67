"""Reviewers' corrections of the blurring: blur a drawn box, unblur a region, with the trail."""
import pytest
from flask import g
from sqlalchemy import text

from mapapp.photos.storage import photo_key
from tests.auth.helpers import csrf_token, log_in
from tests.factories import make_team, make_user
from tests.photos.faces import FACE, sharpness, unblurred_sharpness
from tests.photos.test_blur_upload import upload

CORNER = {"x": 0.0, "y": 0.0, "w": 0.25, "h": 0.25}  # the flag: sharp, and not found as a face
CORNER_BOX = (0.0, 0.0, 0.25, 0.25)


def signed_in(app, username):
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    return client


@pytest.fixture
def photo(participant_client, finding_id, photo_storage):
    """The astronaut as a photo of an empty-shop finding, her face blurred at upload."""
    return upload(participant_client, finding_id)


@pytest.fixture
def orga(app, session):
    make_user(session, "orga", display_name="Orga Nisatorin")
    return signed_in(app, "orga")


def blur_url(photo) -> str:
    return f"/api/review/photos/{photo['id']}/blur"


def web_copy(photo_storage, state) -> bytes:
    return photo_storage.path(photo_key(state["url"].split("/")[2], "web")).read_bytes()


def events(session):
    session.rollback()
    return session.execute(text("SELECT photo_id::text, user_id, actor, action, detail FROM moderation_events "
                                "ORDER BY id")).all()


def test_blurring_a_drawn_box_renders_new_copies_and_writes_the_trail(orga, photo, session, photo_storage):
    before = web_copy(photo_storage, photo)
    response = orga.post(blur_url(photo), json=CORNER)
    assert response.status_code == 201, response.get_json()
    state = response.get_json()
    assert state["url"] != photo["url"] and state["thumb_url"] != photo["thumb_url"]
    assert [(r["kind"], r["source"]) for r in state["regions"]] == [("face", "auto"), ("face", "manual")]
    after = web_copy(photo_storage, state)
    assert sharpness(after, CORNER_BOX) * 10 <= sharpness(before, CORNER_BOX)
    assert sharpness(after, FACE) * 10 <= unblurred_sharpness(512)  # the face stays blurred
    assert not photo_storage.exists(photo_key(photo["url"].split("/")[2], "web"))  # the old copies are gone
    [event] = events(session)
    assert (event.photo_id, event.action, event.actor) == (photo["id"], "blur", "Orga Nisatorin")
    assert event.detail["region"] == state["regions"][1]
    assert orga.get(blur_url(photo)).get_json()["regions"] == state["regions"]


def test_urls_from_before_a_blur_lead_to_the_current_copy(app, monkeypatch, orga, photo, session):
    """A photo URL that left the app before (the city's media_url, a shared link) still works."""
    monkeypatch.setitem(app.config, "MODERATION", "post")
    first = orga.post(blur_url(photo), json=CORNER).get_json()
    second = orga.post(blur_url(photo), json={**CORNER, "x": 0.5}).get_json()
    public = app.test_client()
    g.pop("_login_user", None)  # Flask-Login keeps the user on g, which the test's app context outlives
    for url in (photo["url"], first["url"], photo["thumb_url"]):
        response = public.get(url)
        assert response.status_code == 302, url
        want = second["thumb_url"] if "thumb" in url else second["url"]
        assert response.headers["Location"].endswith(want)
        assert "no-cache" in response.headers["Cache-Control"]
    assert public.get(second["url"]).status_code == 200
    session.execute(text("UPDATE photos SET moderation = 'hidden' WHERE id = :id"), {"id": photo["id"]})
    session.commit()
    from mapapp.moderation.access import PHOTO_ACCESS_SQL
    assert public.get(photo["url"]).status_code == 404  # hidden: the old URL says no more than the new
    assert public.get(f"/photos/{'0' * 64}/web.jpg").status_code == 404


def test_unblurring_without_a_kept_original_is_refused_and_changes_nothing(orga, photo, session):
    state = orga.get(blur_url(photo)).get_json()
    assert state["original_kept"] is False
    response = orga.delete(f"{blur_url(photo)}/{state['regions'][0]['id']}")
    assert response.status_code == 409
    assert response.get_json()["error"] == "original_not_kept" and "region" in response.get_json()["fields"]
    assert orga.get(blur_url(photo)).get_json() == state
    assert events(session) == []


def test_unblurring_with_the_original_restores_the_area(app, monkeypatch, orga, participant_client, finding_id,
                                                         session, photo_storage):
    monkeypatch.setitem(app.config, "KEEP_UNBLURRED_ORIGINALS", True)
    photo = upload(participant_client, finding_id)
    face = orga.get(blur_url(photo)).get_json()["regions"][0]
    response = orga.delete(f"{blur_url(photo)}/{face['id']}")
    assert response.status_code == 200, response.get_json()
    state = response.get_json()
    assert state["regions"] == []
    assert sharpness(web_copy(photo_storage, state), FACE) > unblurred_sharpness(512) / 2
    assert [(e.action, e.detail["region"]["id"]) for e in events(session)] == [("unblur", face["id"])]
    again = orga.post(blur_url(photo), json=CORNER).get_json()
    assert sharpness(web_copy(photo_storage, again), FACE) > unblurred_sharpness(512) / 2  # drawn from the original
    assert orga.delete(f"{blur_url(photo)}/{face['id']}").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"x": 0.1, "y": 0.1, "w": 0.2}, "h"),
    ({"x": 0.1, "y": 0.1, "w": 0.2, "h": "groß"}, "h"),
    ({"x": 0.9, "y": 0.1, "w": 0.2, "h": 0.2}, "w"),
    ({"x": 0.1, "y": 0.1, "w": 0.2, "h": 0.2, "kind": "hund"}, "kind"),
])
def test_a_bad_box_gets_422_naming_the_field_and_changes_nothing(orga, photo, session, body, field):
    response = orga.post(blur_url(photo), json=body)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    assert orga.get(blur_url(photo)).get_json()["url"] == photo["url"]
    assert events(session) == []


def test_a_body_that_is_no_json_object_gets_a_4xx_naming_it(orga, photo):
    response = orga.post(blur_url(photo), json=["x", 1])  # a form body is refused before: 415, as on every JSON route
    assert response.status_code == 422 and "body" in response.get_json()["fields"]


def test_unknown_photos_and_regions_are_404(orga, photo):
    assert orga.get("/api/review/photos/00000000-0000-0000-0000-000000000000/blur").status_code == 404
    assert orga.delete(f"{blur_url(photo)}/nichtda").status_code == 404


def test_who_may_correct_the_blurring(app, session, photo, participant_client):
    assert app.test_client().post(blur_url(photo), json=CORNER).status_code == 401
    assert participant_client.post(blur_url(photo), json=CORNER).status_code == 401  # the sender
    assert app.test_client().get(blur_url(photo)).status_code == 401
    cyclist = make_user(session, "rita", role="team_member")
    make_team(session, "Radverkehr", ["cycle_path"], members=[cyclist.id])
    shops = make_user(session, "lena", role="team_member")
    make_team(session, "Einzelhandel", ["empty_shop"], members=[shops.id])
    other_team = signed_in(app, "rita")
    assert other_team.get(blur_url(photo)).status_code == 403
    assert other_team.post(blur_url(photo), json=CORNER).status_code == 403
    assert signed_in(app, "lena").post(blur_url(photo), json=CORNER).status_code == 201


def test_the_csrf_token_is_checked(app, orga, photo, csrf_enabled):
    refused = orga.post(blur_url(photo), json=CORNER)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf_failed"
    token = csrf_token(orga.get("/review/concerns").text)
    assert token
    assert orga.post(blur_url(photo), json=CORNER, headers={"X-CSRFToken": token}).status_code == 201
