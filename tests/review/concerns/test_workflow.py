"""Concerns: made from findings, followed through their workflow, every change in the audit trail."""
import json
import re
import uuid

import pytest
from sqlalchemy import text

from mapapp.db import db
from mapapp.errors import Forbidden, StaleWrite, ValidationFailed
from mapapp.review.concerns import workflow as concerns
from tests.auth.helpers import log_in
from tests.factories import BISMARCKPLATZ, finding_payload, make_finding, make_team_member, make_user

NEAR = (51.4575, 6.7005)  # about 130 m north-east of Bismarckplatz


@pytest.fixture
def orga(session):
    return make_user(session, "orga", display_name="Orga Nisatorin")


@pytest.fixture
def rita(session):
    """A member of the cycling team."""
    return make_team_member(session, "Radverkehr", ["cycle_path"])


def signed_in(app, username):
    client = app.test_client()
    assert log_in(client, username).status_code == 302
    return client


def post_finding(app, **overrides):
    """A finding sent by a new participant (own cookie); return that participant's client and the id."""
    participant = app.test_client()
    body = finding_payload(**overrides)
    assert participant.post("/api/findings", json=body).status_code == 201
    return participant, body["id"]


def new_concern(session, user, finding_ids, category="cycle_path", **extra):
    return concerns.create_concern(session, title="Radweg Bismarckstraße", summary=None, category=category,
                                   finding_ids=finding_ids, user_id=user.id, **extra)


def history(detail):
    return [(event["action"], event["from_status"], event["to_status"]) for event in detail["history"]]


# ---- creating ----------------------------------------------------------------------------


def test_a_concern_sits_at_the_centroid_of_its_findings_and_counts_distinct_participants(app, session, orga):
    anna, first = post_finding(app, category="cycle_path", lat=BISMARCKPLATZ[0], lon=BISMARCKPLATZ[1])
    ben, second = post_finding(app, category="cycle_path", lat=NEAR[0], lon=NEAR[1])
    carla = app.test_client()
    carla.get("/")  # the map page gives her the participant cookie a +1 needs
    for voter, finding in ((carla, first), (ben, first), (carla, second)):
        assert voter.post(f"/api/findings/{finding}/confirmations", json={}).status_code == 201

    detail = new_concern(session, orga, [first, second])

    assert detail["location"]["lat"] == pytest.approx((BISMARCKPLATZ[0] + NEAR[0]) / 2, abs=1e-6)
    assert detail["location"]["lon"] == pytest.approx((BISMARCKPLATZ[1] + NEAR[1]) / 2, abs=1e-6)
    assert detail["findings_count"] == 2
    assert detail["participants"] == 3  # anna and ben made them, carla and ben gave +1s
    assert sorted(f["id"] for f in detail["findings"]["features"]) == sorted([first, second])
    assert detail["status"] == "new" and detail["version"] == 1
    assert (detail["category"], detail["icon"]) == ("cycle_path", "🚲")
    assert detail["stadtbezirk"] == "Homberg/Ruhrort/Baerl"
    assert history(detail) == [("created", None, "new")]
    assert detail["history"][0]["user"] == {"id": orga.id, "username": "orga", "display_name": "Orga Nisatorin"}
    linked = session.execute(text("SELECT count(*) FROM findings WHERE concern_id = :id"),
                             {"id": detail["id"]}).scalar()
    assert linked == 2


def test_a_line_finding_places_the_concern_on_the_line(session, orga):
    line = {"type": "LineString", "coordinates": [[6.6990, 51.4560], [6.7010, 51.4560]]}
    finding = make_finding(session, category="cycle_path", geometry=json.dumps(line))
    detail = new_concern(session, orga, [finding])
    assert detail["location"]["lat"] == pytest.approx(51.4560, abs=1e-6)
    assert detail["location"]["lon"] == pytest.approx(6.7000, abs=1e-5)


def test_the_location_can_be_given_instead_of_the_centroid(session, orga):
    finding = make_finding(session, category="cycle_path")
    detail = new_concern(session, orga, [finding], lat=NEAR[0], lon=NEAR[1])
    assert (detail["location"]["lat"], detail["location"]["lon"]) == pytest.approx(NEAR)


@pytest.mark.parametrize("changes, field", [
    ({"title": "  "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"finding_ids": []}, "finding_ids"),
    ({"finding_ids": ["not-a-uuid"]}, "finding_ids"),
    ({"finding_ids": [str(uuid.uuid4())]}, "finding_ids"),
    ({"category": "no_such_category"}, "category"),
    ({"lat": 52.3676, "lon": 4.9041}, "lat"),
])
def test_creation_is_validated(session, orga, changes, field):
    finding = make_finding(session, category="cycle_path")
    args = {"title": "Radweg", "summary": None, "category": "cycle_path", "finding_ids": [finding]} | changes
    with pytest.raises(ValidationFailed) as err:
        concerns.create_concern(session, user_id=orga.id, **args)
    assert field in err.value.fields
    session.rollback()
    assert session.execute(text("SELECT count(*) FROM concerns")).scalar() == 0


def test_without_a_category_the_findings_shared_one_is_taken(session, orga):
    finding = make_finding(session, category="noise")
    assert new_concern(session, orga, [finding], category=None)["category"] == "noise"


def test_a_team_cannot_make_concerns_of_another_teams_findings(session, rita):
    shop = make_finding(session, category="empty_shop")
    with pytest.raises(Forbidden):
        new_concern(session, rita, [shop], category="cycle_path")
    with pytest.raises(Forbidden):
        new_concern(session, rita, [make_finding(session, category="cycle_path")], category="empty_shop")


# ---- moving findings -------------------------------------------------------------------------


def test_a_finding_grouped_again_moves_and_both_concerns_record_it(session, orga):
    first, second = make_finding(session, category="cycle_path"), make_finding(session, category="cycle_path")
    old = new_concern(session, orga, [first, second])
    new = new_concern(session, orga, [second])

    old_now = concerns.concern_detail(session, uuid.UUID(old["id"]))
    assert [f["id"] for f in old_now["findings"]["features"]] == [str(first)]
    assert old_now["version"] == 2
    assert old_now["history"][0]["action"] == "finding_removed" and old_now["history"][0]["note"] == str(second)
    assert {e["action"] for e in new["history"]} == {"created", "finding_added"}
    assert new["findings_count"] == 1


def test_move_finding_between_concerns_and_out_again(session, orga):
    first, second = make_finding(session, category="cycle_path"), make_finding(session, category="cycle_path")
    a = new_concern(session, orga, [first])
    b = new_concern(session, orga, [second])

    moved = concerns.move_finding(session, first, uuid.UUID(b["id"]), orga.id)
    assert moved == {"finding_id": str(first), "concern_id": b["id"], "previous_concern_id": a["id"],
                     "versions": {a["id"]: 2, b["id"]: 2}}
    a_now, b_now = (concerns.concern_detail(session, uuid.UUID(c["id"])) for c in (a, b))
    assert (a_now["findings_count"], b_now["findings_count"]) == (0, 2)
    assert a_now["history"][0]["action"] == "finding_removed"
    assert b_now["history"][0]["action"] == "finding_added"

    out = concerns.move_finding(session, first, None, orga.id)
    assert out["concern_id"] is None and out["versions"] == {b["id"]: 3}
    assert session.execute(text("SELECT concern_id FROM findings WHERE id = :id"), {"id": first}).scalar() is None


# ---- status workflow ---------------------------------------------------------------------------


def test_the_status_history_records_who_when_from_to_and_note(session, orga, rita):
    concern = new_concern(session, orga, [make_finding(session, category="cycle_path")])
    cid = uuid.UUID(concern["id"])
    steps = [("in_review", orga, "Wir schauen uns das an"), ("confirmed", rita, None),
             ("handed_over", rita, "An das Tiefbauamt"), ("resolved", orga, "Neu markiert")]
    for version, (status, user, note) in enumerate(steps, start=1):
        detail = concerns.change_status(session, cid, to_status=status, note=note, user_id=user.id,
                                        expected_version=version)
    assert detail["status"] == "resolved" and detail["version"] == 5
    assert detail["next_statuses"] == []
    latest = detail["history"][0]
    assert (latest["action"], latest["from_status"], latest["to_status"], latest["note"]) == (
        "status_changed", "handed_over", "resolved", "Neu markiert")
    assert latest["user"]["username"] == "orga" and latest["at"]
    assert detail["history"][2]["user"]["display_name"] == "Rita Rad"
    assert history(detail)[::-1] == [("created", None, "new"), ("status_changed", "new", "in_review"),
                                     ("status_changed", "in_review", "confirmed"),
                                     ("status_changed", "confirmed", "handed_over"),
                                     ("status_changed", "handed_over", "resolved")]


@pytest.mark.parametrize("path, refused", [
    ([], "confirmed"),                                  # skipping review
    ([], "new"),                                        # no change
    (["in_review", "confirmed", "handed_over", "resolved"], "rejected"),  # resolved is final
    (["rejected"], "confirmed"),                        # a rejected one is reopened for review first
    ([], "bogus"),
])
def test_illegal_transitions_are_refused(session, orga, path, refused):
    cid = uuid.UUID(new_concern(session, orga, [make_finding(session, category="cycle_path")])["id"])
    for version, status in enumerate(path, start=1):
        concerns.change_status(session, cid, to_status=status, note=None, user_id=orga.id, expected_version=version)
    with pytest.raises(ValidationFailed) as err:
        concerns.change_status(session, cid, to_status=refused, note=None, user_id=orga.id,
                               expected_version=len(path) + 1)
    assert "status" in err.value.fields


def test_a_rejected_concern_can_be_reopened(session, orga):
    cid = uuid.UUID(new_concern(session, orga, [make_finding(session, category="cycle_path")])["id"])
    concerns.change_status(session, cid, to_status="rejected", note="Privatgrund", user_id=orga.id,
                           expected_version=1)
    detail = concerns.change_status(session, cid, to_status="in_review", note=None, user_id=orga.id,
                                    expected_version=2)
    assert detail["status"] == "in_review"


def test_a_duplicate_names_the_concern_it_duplicates(session, orga):
    original = new_concern(session, orga, [make_finding(session, category="cycle_path")])
    copy = new_concern(session, orga, [make_finding(session, category="cycle_path")])
    cid = uuid.UUID(copy["id"])
    for duplicate_of in (None, copy["id"], str(uuid.uuid4())):
        with pytest.raises(ValidationFailed) as err:
            concerns.change_status(session, cid, to_status="duplicate", note=None, user_id=orga.id,
                                   expected_version=1, duplicate_of=duplicate_of)
        assert "duplicate_of" in err.value.fields
    detail = concerns.change_status(session, cid, to_status="duplicate", note=None, user_id=orga.id,
                                    expected_version=1, duplicate_of=original["id"])
    assert detail["duplicate_of"] == {"id": original["id"], "title": original["title"], "status": "new"}
    assert detail["next_statuses"] == []


def test_findings_show_the_status_of_their_concern(app, session, orga, client):
    _participant, finding = post_finding(app, category="cycle_path")
    concern = new_concern(session, orga, [finding])
    concerns.change_status(session, uuid.UUID(concern["id"]), to_status="in_review", note=None,
                           user_id=orga.id, expected_version=1)
    props = client.get(f"/api/findings/{finding}").get_json()["properties"]
    assert (props["status"], props["concern_id"]) == ("in_review", concern["id"])


# ---- JSON API ------------------------------------------------------------------------------------


def test_api_creates_lists_and_shows_a_concern(app, session, orga):
    first, second = make_finding(session, category="cycle_path"), make_finding(session, category="noise")
    client = signed_in(app, "orga")
    response = client.post("/api/review/concerns", json={
        "title": "Radweg und Lärm", "summary": "Zwei Probleme an einer Stelle", "category": "cycle_path",
        "finding_ids": [str(first), str(second)]})
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["url"] == f"/review/concerns/{created['id']}"
    assert response.headers["Location"] == f"/api/review/concerns/{created['id']}"
    assert response.headers["ETag"] == '"1"'

    shown = client.get(f"/api/review/concerns/{created['id']}")
    assert shown.status_code == 200 and shown.headers["ETag"] == '"1"'
    assert shown.get_json()["summary"] == "Zwei Probleme an einer Stelle"

    listed = client.get("/api/review/concerns?status=new").get_json()
    assert [(c["id"], c["findings_count"], c["url"]) for c in listed] == [(created["id"], 2, created["url"])]
    assert client.get("/api/review/concerns?status=resolved").get_json() == []
    assert client.get("/api/review/concerns?district=Homberg/Ruhrort/Baerl").get_json()[0]["id"] == created["id"]
    assert client.get("/api/review/concerns?district=Walsum").get_json() == []
    assert client.get("/api/review/concerns?status=bogus").status_code == 422


def test_api_lists_concerns_of_a_walk(app, session, orga):
    from tests.factories import make_walk

    walk = make_walk(session)
    on_walk = new_concern(session, orga, [make_finding(session, category="cycle_path", walk_id=walk)])
    new_concern(session, orga, [make_finding(session, category="cycle_path")])
    listed = signed_in(app, "orga").get(f"/api/review/concerns?walk={walk}").get_json()
    assert [c["id"] for c in listed] == [on_walk["id"]]


def test_stale_write_first_wins_second_gets_412_and_nothing_is_overwritten(app, session, orga, rita):
    cid = new_concern(session, orga, [make_finding(session, category="cycle_path")])["id"]
    first, second = signed_in(app, "orga"), signed_in(app, "rita")
    version = first.get(f"/api/review/concerns/{cid}").headers["ETag"]
    assert second.get(f"/api/review/concerns/{cid}").headers["ETag"] == version

    won = first.patch(f"/api/review/concerns/{cid}", json={"title": "Radweg Moerser Straße"},
                      headers={"If-Match": version})
    assert won.status_code == 200 and won.get_json()["version"] == 2
    lost = second.patch(f"/api/review/concerns/{cid}", json={"title": "Etwas anderes"},
                        headers={"If-Match": version})
    assert lost.status_code == 412
    assert lost.get_json()["error"] == "precondition_failed" and lost.get_json()["current_version"] == 2
    lost_status = second.post(f"/api/review/concerns/{cid}/status", json={"status": "rejected", "version": 1})
    assert lost_status.status_code == 412

    now = concerns.concern_detail(session, uuid.UUID(cid))
    assert (now["title"], now["status"], now["version"]) == ("Radweg Moerser Straße", "new", 2)
    assert [e["action"] for e in now["history"]] == ["edited", "created"]
    assert now["history"][0]["note"] == "title"


def test_a_change_without_a_version_is_428(app, session, orga):
    cid = new_concern(session, orga, [make_finding(session, category="cycle_path")])["id"]
    client = signed_in(app, "orga")
    assert client.patch(f"/api/review/concerns/{cid}", json={"title": "Neu"}).status_code == 428
    response = client.post(f"/api/review/concerns/{cid}/status", json={"status": "in_review"})
    assert response.status_code == 428 and response.get_json()["error"] == "precondition_required"
    assert concerns.concern_detail(session, uuid.UUID(cid))["version"] == 1


def test_api_moves_the_location_and_changes_the_status(app, session, orga):
    cid = new_concern(session, orga, [make_finding(session, category="cycle_path")])["id"]
    client = signed_in(app, "orga")
    moved = client.patch(f"/api/review/concerns/{cid}", json={"lat": NEAR[0], "lon": NEAR[1], "version": 1})
    assert moved.status_code == 200
    assert (moved.get_json()["location"]["lat"], moved.get_json()["location"]["lon"]) == pytest.approx(NEAR)
    outside = client.patch(f"/api/review/concerns/{cid}", json={"lat": 52.3676, "lon": 4.9041},
                           headers={"If-Match": '"2"'})
    assert outside.status_code == 422 and "lat" in outside.get_json()["fields"]

    changed = client.post(f"/api/review/concerns/{cid}/status",
                          json={"status": "in_review", "note": "Wird geprüft", "version": 2})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["status"] == "in_review" and changed.headers["ETag"] == '"3"'
    illegal = client.post(f"/api/review/concerns/{cid}/status", json={"status": "resolved", "version": 3})
    assert illegal.status_code == 422 and "status" in illegal.get_json()["fields"]
    duplicate = client.post(f"/api/review/concerns/{cid}/status", json={"status": "duplicate", "version": 3})
    assert duplicate.status_code == 422 and "duplicate_of" in duplicate.get_json()["fields"]


def test_api_moves_a_finding(app, session, orga):
    finding = make_finding(session, category="cycle_path")
    a = new_concern(session, orga, [finding])
    b = new_concern(session, orga, [make_finding(session, category="cycle_path")])
    client = signed_in(app, "orga")
    response = client.post(f"/api/review/findings/{finding}/move", json={"concern_id": b["id"]})
    assert response.status_code == 200
    assert response.get_json() == {"finding_id": str(finding), "concern_id": b["id"],
                                   "previous_concern_id": a["id"], "versions": {a["id"]: 2, b["id"]: 2}}
    assert client.post(f"/api/review/findings/{finding}/move", json={"concern_id": None}).status_code == 200
    assert client.post(f"/api/review/findings/{finding}/move", json={}).status_code == 422
    unknown = client.post(f"/api/review/findings/{finding}/move", json={"concern_id": str(uuid.uuid4())})
    assert unknown.status_code == 422
    assert client.post(f"/api/review/findings/{uuid.uuid4()}/move", json={"concern_id": None}).status_code == 404


# ---- permissions ---------------------------------------------------------------------------------


def test_a_team_member_only_reaches_concerns_of_their_categories(app, session, orga, rita):
    cycle = new_concern(session, orga, [make_finding(session, category="cycle_path")])
    shop_finding = make_finding(session, category="empty_shop")
    shop = new_concern(session, orga, [shop_finding], category="empty_shop")
    client = signed_in(app, "rita")

    assert [c["id"] for c in client.get("/api/review/concerns").get_json()] == [cycle["id"]]
    assert client.get(f"/api/review/concerns/{shop['id']}").status_code == 403
    assert client.get(f"/review/concerns/{shop['id']}").status_code == 403
    assert client.patch(f"/api/review/concerns/{shop['id']}", json={"title": "x", "version": 1}).status_code == 403
    status = client.post(f"/api/review/concerns/{shop['id']}/status", json={"status": "in_review", "version": 1})
    assert status.status_code == 403 and status.get_json()["error"] == "forbidden"
    assert client.post("/api/review/concerns", json={
        "title": "Laden", "category": "empty_shop", "finding_ids": [str(shop_finding)]}).status_code == 403
    assert client.post(f"/api/review/findings/{shop_finding}/move",
                       json={"concern_id": cycle["id"]}).status_code == 403
    assert client.get(f"/api/review/concerns/{cycle['id']}").status_code == 200
    assert concerns.concern_detail(session, uuid.UUID(shop["id"]))["version"] == 1


def test_participants_and_anonymous_visitors_are_refused(app, session, orga):
    cid = new_concern(session, orga, [make_finding(session, category="cycle_path")])["id"]
    participant, _finding = post_finding(app)  # has a participant cookie, no account
    for client in (participant, app.test_client()):
        assert client.get("/api/review/concerns").status_code == 401
        assert client.get(f"/api/review/concerns/{cid}").status_code == 401
        assert client.post(f"/api/review/concerns/{cid}/status",
                           json={"status": "in_review", "version": 1}).status_code == 401
        page = client.get(f"/review/concerns/{cid}")
        assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert concerns.concern_detail(session, uuid.UUID(cid))["version"] == 1


# ---- pages and CSRF ------------------------------------------------------------------------------


def page_config(html: str) -> dict:
    raw = re.search(r'<script type="application/json" id="review-concern-config">(.*?)</script>', html, re.S)
    return json.loads(raw.group(1))


def test_the_concern_pages_show_list_detail_and_audit_trail(app, session, orga):
    _participant, finding = post_finding(app, category="cycle_path", description="Schlagloch auf dem Radweg")
    concern = new_concern(session, orga, [finding])
    concerns.change_status(session, uuid.UUID(concern["id"]), to_status="in_review", note="Ortstermin folgt",
                           user_id=orga.id, expected_version=1)
    client = signed_in(app, "orga")

    listing = client.get("/review/concerns")
    assert listing.status_code == 200 and "Radweg Bismarckstraße" in listing.text and "In Prüfung" in listing.text
    assert "Radweg Bismarckstraße" not in client.get("/review/concerns?status=new").text

    page = client.get(f"/review/concerns/{concern['id']}")
    assert page.status_code == 200
    for text_ in ("Schlagloch auf dem Radweg", "Ortstermin folgt", "Status geändert: Neu → In Prüfung",
                  "Orga Nisatorin", 'id="status-select"', "js/review/concern.js"):
        assert text_ in page.text, text_
    assert "<script>" not in page.text and " onclick" not in page.text
    config = page_config(page.text)
    assert config["concern"]["version"] == 2
    assert config["api"]["status"] == f"/api/review/concerns/{concern['id']}/status"
    assert config["api"]["move"] == "/api/review/findings/{id}/move"
    assert client.get(f"/review/concerns/{uuid.uuid4()}").status_code == 404


def test_csrf_is_enforced_on_the_json_api(app, csrf_enabled):
    # No ``session`` fixture here: its app context would be shared by the requests, and with
    # it flask_wtf's per-request token cache in ``g``, so the session would never get a token.
    with app.app_context():
        orga = make_user(db.session, "orga")
        cid = new_concern(db.session, orga, [make_finding(db.session, category="cycle_path")])["id"]
        db.session.remove()
    client = app.test_client()
    login_page = client.get("/login")
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', login_page.text).group(1)
    assert client.post("/login", data={"username": "orga", "password": "lange-genug-2026",
                                       "csrf_token": token}).status_code == 302
    body = {"status": "in_review", "version": 1}

    refused = client.post(f"/api/review/concerns/{cid}/status", json=body)
    assert refused.status_code == 400 and refused.get_json()["error"] == "csrf_failed"
    assert client.patch(f"/api/review/concerns/{cid}", json={"title": "x", "version": 1}).status_code == 400
    assert client.get(f"/api/review/concerns/{cid}").get_json()["version"] == 1

    token = page_config(client.get(f"/review/concerns/{cid}").text)["csrf_token"]
    response = client.post(f"/api/review/concerns/{cid}/status", json=body, headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.text
    assert response.get_json()["status"] == "in_review"


def test_stale_write_error_carries_the_current_version(session, orga):
    cid = uuid.UUID(new_concern(session, orga, [make_finding(session, category="cycle_path")])["id"])
    concerns.update_concern(session, cid, summary="Erste Fassung", user_id=orga.id, expected_version=1)
    with pytest.raises(StaleWrite) as err:
        concerns.update_concern(session, cid, summary="Überholt", user_id=orga.id, expected_version=1)
    assert err.value.current_version == 2 and err.value.status == 412
    assert concerns.concern_detail(session, cid)["summary"] == "Erste Fassung"

