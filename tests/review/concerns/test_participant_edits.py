"""A participant changing or deleting a finding a team has grouped: the concern's trail and version follow.

Each change is recorded on the concern (which fields, never their content; no account) in
the participant's own transaction and raises the concern's version, so a reviewer working
from an older page is told. A new category other than the concern's takes the finding out;
deleting it leaves an entry; a concern whose last finding went says so and stays.
"""
import io
import uuid

import pytest
from sqlalchemy import text

from mapapp.review.concerns import workflow as concerns
from tests.auth.helpers import log_in
from tests.factories import AMSTERDAM, finding_payload, make_finding, make_user
from tests.photos.images import jpeg

NEAR = (51.4575, 6.7005)


@pytest.fixture
def orga(session):
    return make_user(session, "orga")


def post_finding(app, **overrides):
    participant = app.test_client()
    body = finding_payload(**({"category": "cycle_path", "description": "Schlagloch"} | overrides))
    assert participant.post("/api/findings", json=body).status_code == 201
    return participant, uuid.UUID(body["id"])


def group(session, orga, finding_ids, category="cycle_path"):
    detail = concerns.create_concern(session, title="Radweg Bismarckstraße", summary=None, category=category,
                                     finding_ids=finding_ids, user_id=orga.id)
    return uuid.UUID(detail["id"])


def state(session, concern_id):
    session.rollback()
    detail = concerns.concern_detail(session, concern_id)
    return detail, [(e["action"], e["note"], e["user"]) for e in detail["history"]]


def concern_of(session, finding_id):
    session.rollback()
    return session.execute(text("SELECT concern_id FROM findings WHERE id = :id"), {"id": finding_id}).scalar()


def test_an_edit_of_a_grouped_finding_is_on_the_trail_and_raises_the_version(app, session, orga):
    anna, finding = post_finding(app)
    cid = group(session, orga, [finding])

    response = anna.patch(f"/api/findings/{finding}", json={"description": "Tiefes Schlagloch", "lat": NEAR[0],
                                                            "lon": NEAR[1], "urgency": 4})
    assert response.status_code == 200, response.get_json()

    detail, history = state(session, cid)
    assert detail["version"] == 2
    assert history[0] == ("finding_edited", f"{finding}: place, description, urgency", None)
    assert "Tiefes" not in history[0][1]  # names of fields, never their content
    assert concern_of(session, finding) == cid


def test_a_reviewer_working_from_before_the_edit_is_told(app, session, orga):
    anna, finding = post_finding(app)
    cid = group(session, orga, [finding])
    assert anna.patch(f"/api/findings/{finding}", json={"description": "Anders"}).status_code == 200
    reviewer = app.test_client()
    assert log_in(reviewer, "orga").status_code == 302
    stale = reviewer.patch(f"/api/review/concerns/{cid}", json={"title": "Neu", "version": 1})
    assert stale.status_code == 412 and stale.get_json()["current_version"] == 2


def untouched(session, concern_id) -> bool:
    """Whether the concern is as grouping left it: version 1, only its "created" entry."""
    detail, history = state(session, concern_id)
    return detail["version"] == 1 and [h[0] for h in history] == ["created"]


@pytest.mark.parametrize("edit, status", [
    ({"description": "Schlagloch", "category": "cycle_path"}, 200),  # the same values again change nothing
    ({"lat": AMSTERDAM[0], "lon": AMSTERDAM[1]}, 422),  # refused as outside the city
], ids=["same_values", "outside_the_city"])
def test_an_edit_changing_nothing_or_refused_leaves_the_concern_alone(app, session, orga, edit, status):
    anna, finding = post_finding(app)
    cid = group(session, orga, [finding])
    assert anna.patch(f"/api/findings/{finding}", json=edit).status_code == status
    assert untouched(session, cid)


def test_another_category_takes_the_finding_out_and_the_empty_concern_says_so(app, session, orga):
    anna, finding = post_finding(app)
    cid = group(session, orga, [finding])

    response = anna.patch(f"/api/findings/{finding}", json={"category": "noise"})
    assert response.status_code == 200
    assert response.get_json()["properties"]["concern_id"] is None

    detail, history = state(session, cid)
    assert concern_of(session, finding) is None
    assert detail["findings_count"] == 0 and detail["version"] == 2
    assert [h[:2] for h in history[:2]] == [("no_findings_left", None), ("finding_recategorised", f"{finding}: category")]
    reviewer = app.test_client()
    assert log_in(reviewer, "orga").status_code == 302
    listing = reviewer.get("/review/concerns").text
    assert "keine Funde mehr" in listing
    page = reviewer.get(f"/review/concerns/{cid}").text
    assert "Fund herausgenommen: andere Kategorie gewählt" in page and "Meldende Person" in page
    assert "Keine Funde mehr in diesem Anliegen" in page


def test_a_change_to_the_concerns_own_category_keeps_the_finding(app, session, orga):
    _cycle_author, cycle = post_finding(app)
    ben, noise = post_finding(app, category="noise", description="Laut")
    cid = group(session, orga, [cycle, noise])  # a team may group findings of several categories

    assert ben.patch(f"/api/findings/{noise}", json={"category": "cycle_path"}).status_code == 200

    detail, history = state(session, cid)
    assert concern_of(session, noise) == cid and detail["findings_count"] == 2
    assert history[0][0] == "finding_edited" and history[0][1].startswith(f"{noise}: category")


def test_deleting_a_grouped_finding_is_on_the_trail_and_the_concern_stays(app, session, orga):
    anna, first = post_finding(app)
    ben, second = post_finding(app, lat=NEAR[0], lon=NEAR[1])
    cid = group(session, orga, [first, second])

    assert anna.delete(f"/api/findings/{first}").status_code == 204
    detail, history = state(session, cid)
    assert detail["version"] == 2 and detail["findings_count"] == 1
    assert history[0] == ("finding_withdrawn", str(first), None)

    assert ben.delete(f"/api/findings/{second}").status_code == 204
    detail, history = state(session, cid)
    assert detail["version"] == 3 and detail["findings_count"] == 0
    assert [h[:2] for h in history[:2]] == [("no_findings_left", None), ("finding_withdrawn", str(second))]
    assert detail["title"] == "Radweg Bismarckstraße"


def test_changes_to_ungrouped_findings_touch_no_concern(app, session, orga):
    anna, finding = post_finding(app)
    other = group(session, orga, [make_finding(session, category="cycle_path")])
    assert anna.patch(f"/api/findings/{finding}", json={"category": "noise"}).status_code == 200
    assert anna.delete(f"/api/findings/{finding}").status_code == 204
    assert untouched(session, other)


def test_adding_and_removing_a_photo_of_a_grouped_finding_is_on_the_trail(app, session, orga, photo_storage):
    anna, finding = post_finding(app)
    cid = group(session, orga, [finding])

    added = anna.post(f"/api/findings/{finding}/photos", data={"photo": (io.BytesIO(jpeg()), "a.jpg")})
    assert added.status_code == 201, added.get_json()
    detail, history = state(session, cid)
    assert (detail["version"], history[0]) == (2, ("finding_edited", f"{finding}: photos", None))

    photo_id = added.get_json()["photos"][0]["id"]
    assert anna.delete(f"/api/findings/{finding}/photos/{photo_id}").status_code == 204
    detail, history = state(session, cid)
    assert (detail["version"], history[0]) == (3, ("finding_edited", f"{finding}: photos", None))
