"""The public message of a concern: set by its team through the review API, with version and trail.

It is the one text of a concern meant for the public; the internal notes of the audit trail
never leave the review (see tests/open311/test_public_text.py for the Open311 feed).
"""
import pytest

from mapapp.exports import load_formats
from mapapp.review.concerns import workflow as concerns
from tests.auth.helpers import log_in
from tests.exports.helpers import export_bytes
from tests.exports.test_privacy import plain_views
from tests.factories import finding_payload, make_concern, make_team_member, make_user

MESSAGE = "Die Stadt prüft den Radweg im Frühjahr."
NOTE = "Vor Ort bestätigt, Anwohner Herr Beispiel will anonym bleiben"
TEAM = "Team Radverkehr Interna"


@pytest.fixture
def rita(session):
    return make_team_member(session, TEAM, ["cycle_path"])


@pytest.fixture
def concern_id(session, rita):
    return make_concern(session, rita.id)


def signed_in(app, username):
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    return client


def test_a_team_member_sets_and_clears_the_public_message(app, session, concern_id):
    client = signed_in(app, "rita")
    response = client.patch(f"/api/review/concerns/{concern_id}", json={"public_message": f"  {MESSAGE} "},
                            headers={"If-Match": '"1"'})
    assert response.status_code == 200, response.get_json()
    detail = response.get_json()
    assert detail["public_message"] == MESSAGE and detail["public_message_at"]
    assert detail["version"] == 2 and response.headers["ETag"] == '"2"'
    latest = detail["history"][0]
    assert (latest["action"], latest["note"], latest["user"]["username"]) == ("public_message_changed", MESSAGE, "rita")
    assert detail["title"] == "Radweg Bismarckstraße"  # nothing else changed, no "edited" entry
    assert [e["action"] for e in detail["history"]] == ["public_message_changed", "created"]

    stale = client.patch(f"/api/review/concerns/{concern_id}", json={"public_message": "Alt", "version": 1})
    assert stale.status_code == 412 and stale.get_json()["current_version"] == 2

    cleared = client.patch(f"/api/review/concerns/{concern_id}", json={"public_message": "", "version": 2})
    assert cleared.status_code == 200
    assert cleared.get_json()["public_message"] is None and cleared.get_json()["public_message_at"] is None
    assert cleared.get_json()["history"][0]["action"] == "public_message_changed"
    assert cleared.get_json()["history"][0]["note"] is None


@pytest.mark.parametrize("value", [123, ["x"], "x" * (concerns.PUBLIC_MESSAGE_MAX_LENGTH + 1)])
def test_a_bad_public_message_is_422_naming_the_field(app, session, concern_id, value):
    client = signed_in(app, "rita")
    response = client.patch(f"/api/review/concerns/{concern_id}", json={"public_message": value, "version": 1})
    assert response.status_code == 422 and "public_message" in response.get_json()["fields"]
    assert concerns.concern_detail(session, concern_id)["version"] == 1


def test_another_team_cannot_set_it(app, session, concern_id):
    make_user(session, "udo", role="team_member")
    client = signed_in(app, "udo")
    response = client.patch(f"/api/review/concerns/{concern_id}", json={"public_message": "x", "version": 1})
    assert response.status_code == 403
    assert concerns.concern_detail(session, concern_id)["public_message"] is None


def test_the_concern_page_shows_the_form_and_keeps_notes_apart(app, session, rita, concern_id):
    concerns.change_status(session, concern_id, to_status="in_review", note=NOTE, user_id=rita.id, expected_version=1)
    concerns.update_concern(session, concern_id, public_message=MESSAGE, user_id=rita.id, expected_version=2)
    page = signed_in(app, "rita").get(f"/review/concerns/{concern_id}").text
    assert 'id="public-message-form"' in page and f">{MESSAGE}</textarea>" in page
    assert "Interne Notiz (nicht öffentlich)" in page and "Öffentliche Mitteilung geändert" in page
    assert NOTE in page  # the team sees its notes


def test_the_public_map_shows_the_message_but_never_a_note(app, session, rita):
    participant = app.test_client()
    body = finding_payload(category="cycle_path")
    assert participant.post("/api/findings", json=body).status_code == 201
    cid = make_concern(session, rita.id, title="Radweg", finding_ids=[body["id"]])
    concerns.change_status(session, cid, to_status="in_review", note=NOTE, user_id=rita.id, expected_version=1)
    anyone = app.test_client()
    for url in (f"/api/findings/{body['id']}", "/api/findings"):
        assert NOTE not in anyone.get(url).text and TEAM not in anyone.get(url).text
    assert anyone.get(f"/api/findings/{body['id']}").get_json()["properties"]["public_message"] is None

    concerns.update_concern(session, cid, public_message=MESSAGE, user_id=rita.id, expected_version=2)
    assert anyone.get(f"/api/findings/{body['id']}").get_json()["properties"]["public_message"] == MESSAGE


@pytest.mark.parametrize("name", sorted(load_formats()))
def test_exports_carry_no_internal_note_and_no_team(app, session, rita, concern_id, name):
    concerns.change_status(session, concern_id, to_status="in_review", note=NOTE, user_id=rita.id, expected_version=1)
    data = export_bytes(session, name, what="both")
    for part in plain_views(data):
        for secret in (NOTE, TEAM, "Rita Rad"):
            assert secret.encode() not in part, (name, secret)
