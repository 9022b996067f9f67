"""Nearby findings of the same category, and +1 instead of a second pin."""
import pytest
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, finding_payload

# About 11 m and 55 m north of Bismarckplatz.
NEAR = (BISMARCKPLATZ[0] + 0.0001, BISMARCKPLATZ[1])
FAR = (BISMARCKPLATZ[0] + 0.0005, BISMARCKPLATZ[1])


@pytest.fixture
def two_people(app):
    """Two phones that opened the map, which gives each its participant cookie."""
    people = app.test_client(), app.test_client()
    for person in people:
        assert person.get("/").status_code == 200
    return people


def pin(client, place, category="empty_shop"):
    response = client.post("/api/findings", json=finding_payload(*place, category=category))
    assert response.status_code == 201
    return response.get_json()["id"]


def test_nearby_lists_others_within_30_m_nearest_first(two_people):
    alice, bob = two_people
    near = pin(alice, NEAR)
    pin(alice, FAR)
    pin(alice, NEAR, category="noise")
    pin(bob, NEAR)
    query = f"lat={BISMARCKPLATZ[0]}&lon={BISMARCKPLATZ[1]}&category=empty_shop&radius=30"
    features = bob.get(f"/api/findings/nearby?{query}").get_json()["features"]
    assert [f["id"] for f in features] == [near]
    assert features[0]["properties"]["distance_m"] == pytest.approx(11.1, abs=0.5)


def test_nearby_validates_its_query(client):
    response = client.get("/api/findings/nearby?lat=x&lon=6.7&radius=5000")
    assert response.status_code == 422
    assert {"lat", "category", "radius"} <= set(response.get_json()["fields"])


def test_confirm_once_per_participant(two_people, session):
    alice, bob = two_people
    finding = pin(alice, NEAR)
    first = bob.post(f"/api/findings/{finding}/confirmations", json={})
    again = bob.post(f"/api/findings/{finding}/confirmations", json={})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == {"confirmations": 1}
    assert alice.get(f"/api/findings/{finding}").get_json()["properties"]["confirmations"] == 1
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 1
    assert bob.delete(f"/api/findings/{finding}/confirmations").get_json() == {"confirmations": 0}


def test_confirming_ones_own_finding_is_refused(two_people):
    alice, _ = two_people
    finding = pin(alice, NEAR)
    assert alice.post(f"/api/findings/{finding}/confirmations", json={}).status_code == 422


def participants(session):
    return session.execute(text("SELECT count(*) FROM participants")).scalar()


def test_a_plus_one_without_the_participant_cookie_is_refused(app, two_people, session):
    alice, _ = two_people
    finding = pin(alice, NEAR)
    for _ in range(10):
        response = app.test_client().post(f"/api/findings/{finding}/confirmations", json={})
        assert response.status_code == 403
        assert response.get_json()["error"] == "participant_required"
        assert set(response.get_json()["fields"]) == {"mapapp_participant"}
        assert "Set-Cookie" not in response.headers
    assert alice.get(f"/api/findings/{finding}").get_json()["properties"]["confirmations"] == 0
    assert participants(session) == 1


def test_a_forged_participant_cookie_is_refused(app, two_people):
    alice, _ = two_people
    finding = pin(alice, NEAR)
    mallory = app.test_client()
    mallory.set_cookie("mapapp_participant", "not-signed-by-us")
    assert mallory.post(f"/api/findings/{finding}/confirmations", json={}).status_code == 403


def test_the_map_pages_cookie_is_enough_and_its_row_is_made_on_the_first_plus_one(two_people, session):
    alice, bob = two_people
    finding = pin(alice, NEAR)
    assert participants(session) == 1  # bob opened the map; he has a cookie, not yet a row
    assert bob.post(f"/api/findings/{finding}/confirmations", json={}).status_code == 201
    assert participants(session) == 2
