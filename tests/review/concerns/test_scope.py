"""A team changes only the concerns of its own categories, on both sides of every regrouping.

A finding may sit in a concern of another category than its own (a team grouped it so, or
re-categorised the concern). Taking it out of that concern, by moving it or by grouping it
into a new concern, is a change to that concern too, so its team's scope is checked as well.
"""
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from mapapp.errors import Forbidden
from mapapp.review.concerns import workflow as concerns
from mapapp.review.access import require_regrouping
from tests.auth.helpers import log_in
from tests.factories import make_finding, make_team_member, make_user


@pytest.fixture
def orga(session):
    return make_user(session, "orga")


@pytest.fixture
def rita(session):
    """A member of the cycling team (cycle_path only)."""
    return make_team_member(session, "Radverkehr", ["cycle_path"])


@pytest.fixture
def shop_concern(session, orga):
    """An empty-shop concern (not the cycling team's) holding a cycle-path finding and a shop finding."""
    cycle = make_finding(session, category="cycle_path")
    shop = make_finding(session, category="empty_shop")
    detail = concerns.create_concern(session, title="Leerstand und Radweg", summary=None, category="empty_shop",
                                     finding_ids=[cycle, shop], user_id=orga.id)
    return SimpleNamespace(id=uuid.UUID(detail["id"]), cycle=cycle, shop=shop)


def signed_in(app, username):
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    return client


def members(session, concern_id):
    session.rollback()
    return set(session.execute(text("SELECT id FROM findings WHERE concern_id = :id"), {"id": concern_id}).scalars())


def trail(session, concern_id):
    return session.execute(text("SELECT action FROM concern_events WHERE concern_id = :id ORDER BY id"),
                           {"id": concern_id}).scalars().all()


def test_grouping_a_finding_out_of_another_teams_concern_is_refused_naming_it(app, session, rita, shop_concern):
    client = signed_in(app, "rita")
    response = client.post("/api/review/concerns", json={
        "title": "Radweg", "category": "cycle_path", "finding_ids": [str(shop_concern.cycle)]})

    assert response.status_code == 403
    body = response.get_json()
    assert body["error"] == "forbidden"
    assert str(shop_concern.cycle) in body["fields"]["finding_ids"] and str(shop_concern.cycle) in body["message"]
    assert members(session, shop_concern.id) == {shop_concern.cycle, shop_concern.shop}
    assert session.execute(text("SELECT count(*) FROM concerns")).scalar() == 1
    assert session.execute(text("SELECT version FROM concerns WHERE id = :id"), {"id": shop_concern.id}).scalar() == 1
    assert trail(session, shop_concern.id) == ["created"]


def test_moving_a_finding_out_of_another_teams_concern_is_refused_naming_it(app, session, orga, rita, shop_concern):
    own = concerns.create_concern(session, title="Radweg", summary=None, category="cycle_path",
                                  finding_ids=[make_finding(session, category="cycle_path")], user_id=orga.id)
    client = signed_in(app, "rita")
    for target in (own["id"], None):
        response = client.post(f"/api/review/findings/{shop_concern.cycle}/move", json={"concern_id": target})
        assert response.status_code == 403
        assert str(shop_concern.cycle) in response.get_json()["fields"]["finding_ids"]
    assert members(session, shop_concern.id) == {shop_concern.cycle, shop_concern.shop}
    assert concerns.concern_detail(session, uuid.UUID(own["id"]))["version"] == 1


def test_only_the_refused_findings_are_named(session, rita, shop_concern):
    loose = make_finding(session, category="cycle_path")
    with pytest.raises(Forbidden) as err:
        concerns.create_concern(session, title="Radweg", summary=None, category="cycle_path",
                                finding_ids=[loose, shop_concern.cycle], user_id=rita.id)
    session.rollback()
    assert str(shop_concern.cycle) in err.value.fields["finding_ids"]
    assert str(loose) not in err.value.fields["finding_ids"]
    assert members(session, shop_concern.id) == {shop_concern.cycle, shop_concern.shop}


def test_a_team_regroups_freely_between_its_own_concerns(app, session, orga, rita):
    first, second = make_finding(session, category="cycle_path"), make_finding(session, category="cycle_path")
    old = concerns.create_concern(session, title="Radweg", summary=None, category="cycle_path",
                                  finding_ids=[first, second], user_id=orga.id)
    client = signed_in(app, "rita")
    response = client.post("/api/review/concerns", json={
        "title": "Radweg Nord", "category": "cycle_path", "finding_ids": [str(second)]})
    assert response.status_code == 201, response.get_json()
    assert members(session, uuid.UUID(old["id"])) == {first}
    moved = client.post(f"/api/review/findings/{first}/move", json={"concern_id": response.get_json()["id"]})
    assert moved.status_code == 200
    assert members(session, uuid.UUID(old["id"])) == set()


def test_organisers_may_regroup_anything(session, orga, shop_concern):
    detail = concerns.create_concern(session, title="Radweg", summary=None, category="cycle_path",
                                     finding_ids=[shop_concern.cycle], user_id=orga.id)
    assert detail["findings_count"] == 1
    assert members(session, shop_concern.id) == {shop_concern.shop}
    assert trail(session, shop_concern.id)[-1] == "finding_removed"


def row(category, concern_id=None, concern_category=None):
    return SimpleNamespace(id=uuid.uuid4(), category_slug=category, concern_id=concern_id,
                           concern_category=concern_category)


def test_require_regrouping_checks_where_a_finding_leaves_and_where_it_goes(session, rita):
    ours, theirs, target = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    allowed = [
        ([row("cycle_path")], target, "cycle_path"),                         # ungrouped, own category
        ([row("empty_shop", ours, "cycle_path")], target, "cycle_path"),     # leaves one of our concerns
        ([row("empty_shop", ours, "cycle_path")], None, None),               # taken out of ours
        ([row("empty_shop", target, "cycle_path")], target, "cycle_path"),   # already there
    ]
    for rows, to_id, to_category in allowed:
        require_regrouping(session, rita, rows, to_id, to_category)
    refused = [
        ([row("empty_shop")], target, "cycle_path"),                         # ungrouped, other category
        ([row("cycle_path", theirs, "empty_shop")], target, "cycle_path"),   # leaves another team's concern
        ([row("cycle_path", theirs, "empty_shop")], None, None),             # taken out of theirs
        ([row("cycle_path")], target, "empty_shop"),                         # goes into theirs
    ]
    for rows, to_id, to_category in refused:
        with pytest.raises(Forbidden):
            require_regrouping(session, rita, rows, to_id, to_category)
