"""Nearby findings of the same category, and +1 instead of a second pin."""
import pytest
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, finding_payload

# About 11 m and 55 m north of Bismarckplatz.
NEAR = (BISMARCKPLATZ[0] + 0.0001, BISMARCKPLATZ[1])
FAR = (BISMARCKPLATZ[0] + 0.0005, BISMARCKPLATZ[1])


@pytest.fixture
def two_people(app):
    return app.test_client(), app.test_client()


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
    first = bob.post(f"/api/findings/{finding}/confirmations")
    again = bob.post(f"/api/findings/{finding}/confirmations")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == {"confirmations": 1}
    assert alice.get(f"/api/findings/{finding}").get_json()["properties"]["confirmations"] == 1
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 1
    assert bob.delete(f"/api/findings/{finding}/confirmations").get_json() == {"confirmations": 0}


def test_confirming_ones_own_finding_is_refused(two_people):
    alice, _ = two_people
    finding = pin(alice, NEAR)
    assert alice.post(f"/api/findings/{finding}/confirmations").status_code == 422
