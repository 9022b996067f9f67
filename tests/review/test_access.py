"""Who sees what in the review: organisers everything, team members their teams' categories."""
import uuid

import pytest
from sqlalchemy import text

from mapapp.auth import SignedInUser, team_required
from mapapp.errors import Forbidden
from mapapp.review.access import may_see_finding, require_category, visible_categories
from tests.auth.helpers import log_in
from tests.conftest import make_app
from tests.factories import finding_payload, make_finding, make_team, make_user


def test_organisers_see_every_category(session):
    orga = make_user(session, "orga")
    assert visible_categories(session, orga.id, "organiser") is None
    require_category(session, orga, "noise")
    require_category(session, SignedInUser(orga), "cycle_path")


def test_team_members_see_only_their_teams_categories(session):
    rita = make_user(session, "rita", role="team_member")
    udo = make_user(session, "udo", role="team_member")
    make_team(session, "Radverkehr", ["cycle_path", "barrier"], members=[rita.id])
    make_team(session, "Einzelhandel", ["empty_shop"], members=[rita.id, udo.id])
    make_team(session, "Jugend", ["youth_offer"])

    assert visible_categories(session, rita.id, "team_member") == ["barrier", "cycle_path", "empty_shop"]
    assert visible_categories(session, udo.id, "team_member") == ["empty_shop"]
    require_category(session, udo, "empty_shop")
    for user, slug in ((udo, "cycle_path"), (rita, "youth_offer"), (SignedInUser(udo), "noise")):
        with pytest.raises(Forbidden):
            require_category(session, user, slug)


def test_a_team_member_without_a_team_sees_nothing(session):
    lone = make_user(session, "lone", role="team_member")
    assert visible_categories(session, lone.id, "team_member") == []
    with pytest.raises(Forbidden):
        require_category(session, lone, "noise")
    with pytest.raises(Forbidden):
        require_category(session, None, "noise")


def test_a_deactivated_member_sees_nothing(session):
    rita = make_user(session, "rita", role="team_member")
    make_team(session, "Radverkehr", ["cycle_path"], members=[rita.id])
    session.execute(text("UPDATE users SET active = false WHERE id = :id"), {"id": rita.id})
    session.commit()
    assert visible_categories(session, rita.id, "team_member") == []


def test_may_see_finding_follows_the_category_and_the_concern(session):
    rita = make_user(session, "rita", role="team_member")
    orga = make_user(session, "orga")
    make_team(session, "Radverkehr", ["cycle_path"], members=[rita.id])
    cycle = make_finding(session, category="cycle_path")
    shop = make_finding(session, category="empty_shop")

    assert may_see_finding(session, rita, cycle) and may_see_finding(session, SignedInUser(rita), str(cycle))
    assert not may_see_finding(session, rita, shop)
    assert may_see_finding(session, orga, shop)
    assert not may_see_finding(session, orga, uuid.uuid4())
    assert not may_see_finding(session, orga, "not-a-uuid")

    concern_id = session.execute(text("""
        INSERT INTO concerns (id, title, category_slug, geom)
        VALUES (gen_random_uuid(), 'Radweg fehlt', 'cycle_path', ST_SetSRID(ST_MakePoint(6.6995, 51.4565), 4326))
        RETURNING id""")).scalar_one()
    session.execute(text("UPDATE findings SET concern_id = :c WHERE id = :f"), {"c": concern_id, "f": shop})
    session.commit()
    assert may_see_finding(session, rita, shop)


@pytest.fixture(scope="module")
def guarded_app(app):
    """An app with a page and a JSON route behind ``team_required`` (routes must exist before requests)."""
    guarded = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    guarded.add_url_rule("/probe/review", "probe_page", team_required(lambda: "review page"))
    guarded.add_url_rule("/api/probe/review", "probe_json", team_required(lambda: {"ok": True}))
    yield guarded
    with guarded.app_context():
        from mapapp.db import db

        db.engine.dispose()


def test_team_required_sends_anonymous_visitors_and_participants_to_login(guarded_app):
    client = guarded_app.test_client()
    assert client.post("/api/findings", json=finding_payload()).status_code == 201  # now a participant
    assert client.get_cookie("mapapp_participant") is not None
    page = client.get("/probe/review")
    assert page.status_code == 302 and page.headers["Location"] == "/login?next=%2Fprobe%2Freview"
    api = client.get("/api/probe/review")
    assert api.status_code == 401 and api.json["error"] == "unauthorized"


@pytest.mark.parametrize("role", ["organiser", "team_member"])
def test_team_required_lets_organisers_and_team_members_in(guarded_app, session, role):
    make_user(session, "person", role=role)
    client = guarded_app.test_client()
    log_in(client, "person")
    assert client.get("/probe/review").text == "review page"
    assert client.get("/api/probe/review").json == {"ok": True}

