"""The team marks photos featured for the results page (JSON), within its categories."""
import uuid

import pytest
from sqlalchemy import text

from tests.auth.helpers import database, log_in, make_account
from tests.factories import make_team
from tests.results.helpers import walk_with_results


@pytest.fixture
def photo(app):
    """An approved photo of the walk's first (empty shop) finding, and the walk."""
    with database(app) as session:
        results = walk_with_results(session)
        sha = uuid.uuid4().hex * 2
        photo_id = session.execute(text("""
            INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height, moderation)
            VALUES (:id, :finding, :sha, :sha, 800, 600, 'approved') RETURNING id
        """), {"id": uuid.uuid4(), "finding": results.findings[0], "sha": sha}).scalar()
        session.commit()
        return photo_id, results


def featured(app, photo_id) -> bool:
    with database(app) as session:
        return session.execute(text("SELECT featured FROM photos WHERE id = :id"), {"id": photo_id}).scalar()


def sign_in_team_member(app, client, username, team, category):
    """Store ``username`` as the one member of ``team`` (owning ``category``) and log ``client`` in as them."""
    account = make_account(app, username, role="team_member")
    with database(app) as session:
        make_team(session, team, [category], members=[account.id])
    log_in(client, username)


def test_team_member_features_a_photo_of_their_category(app, client, photo):
    photo_id, results = photo
    sign_in_team_member(app, client, "rita", "Team Leerstand", "empty_shop")
    response = client.post(f"/api/review/photos/{photo_id}/featured", json={"featured": True})
    assert response.status_code == 200, response.text
    assert response.get_json() == {"id": str(photo_id), "featured": True, "moderation": "approved"}
    assert featured(app, photo_id)
    page = app.test_client().get(f"/w/{results.join_code}/results").text
    assert 'twitter:card" content="summary_large_image"' in page


def test_featuring_is_refused_outside_ones_categories_and_for_bad_input(app, client, photo):
    photo_id, _results = photo
    sign_in_team_member(app, client, "carl", "Team Rad", "cycle_path")
    assert client.post(f"/api/review/photos/{photo_id}/featured", json={"featured": True}).status_code == 403
    bad = client.post(f"/api/review/photos/{photo_id}/featured", json={"featured": "yes"})
    assert bad.status_code == 422 and "featured" in bad.get_json()["fields"]
    missing = client.post(f"/api/review/photos/{uuid.uuid4()}/featured", json={"featured": True})
    assert missing.status_code == 404
    assert not featured(app, photo_id)


def test_featuring_needs_a_sign_in(client, photo):
    photo_id, _results = photo
    assert client.post(f"/api/review/photos/{photo_id}/featured", json={"featured": True}).status_code == 401
