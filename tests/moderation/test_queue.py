"""The moderation queue and its decisions: who sees what, the trail, the JSON routes."""
import pytest
from sqlalchemy import text

from mapapp.errors import NotFound, ValidationFailed
from mapapp.moderation import actions, queue
from tests.auth.helpers import csrf_token, database, log_in
from tests.factories import make_team, make_user
from tests.moderation.conftest import TEXT, send_finding


@pytest.fixture
def people(app):
    """An organiser, a team member of each of two teams, one of no team. Made in an app context of
    their own: requests made while the ``session`` fixture's context is open would share its
    ``g`` (Flask-Login's cached user) and sign in as one another."""
    with database(app) as session:
        orga = make_user(session, "orga")
        rad = make_user(session, "rad", role="team_member")
        laden = make_user(session, "laden", role="team_member")
        alone = make_user(session, "alone", role="team_member")
        make_team(session, "Team Radverkehr", ("cycle_path",), (rad.id,))
        make_team(session, "Team Einzelhandel", ("empty_shop",), (laden.id,))
    return {"orga": orga, "rad": rad, "laden": laden, "alone": alone}


def test_pending_texts_and_photos_oldest_first_by_the_teams_categories(client, session, mode, photo_storage, people):
    shop = send_finding(client, "Laden zu", photos=1)
    cycle = send_finding(client, "Radweg kaputt", photos=0, category="cycle_path")
    session.execute(text("UPDATE findings SET created_at = now() - interval '1 day' WHERE id = :id"),
                    {"id": cycle["id"]})
    session.commit()
    everything = queue.list_items(session, people["orga"])
    assert [(i["kind"], i["description"]) for i in everything] == [
        ("text", "Radweg kaputt"), ("text", "Laden zu"), ("photo", "Laden zu")]
    assert [i["kind"] for i in queue.list_items(session, people["laden"])] == ["text", "photo"]
    assert [i["description"] for i in queue.list_items(session, people["rad"])] == ["Radweg kaputt"]
    assert queue.list_items(session, people["alone"]) == []
    assert (queue.pending_count(session, people["orga"]), queue.pending_count(session, people["rad"]),
            queue.pending_count(session, people["alone"])) == (3, 1, 0)


def test_decisions_leave_a_trail_with_the_old_and_new_text(client, session, mode, photo_storage, people):
    sent = send_finding(client, photos=1)
    laden = people["laden"]
    assert actions.decide_text(session, laden, sent["id"], "approve") == {"state": "approved", "changed": True}
    assert actions.decide_text(session, laden, sent["id"], "approve")["changed"] is False
    actions.edit_public_text(session, laden, sent["id"], "  Schaufenster beschädigt ")
    actions.decide_text(session, laden, sent["id"], "hide")
    actions.decide_photo(session, laden, sent["photos"][0]["id"], "hide")
    actions.decide_photo(session, laden, sent["photos"][0]["id"], "unhide")
    trail = actions.trail(session, sent["id"])
    assert [e["action"] for e in trail] == ["text_approved", "text_edited", "text_hidden", "photo_hidden",
                                            "photo_unhidden"]
    assert trail[1]["detail"] == {"old": TEXT, "new": "Schaufenster beschädigt", "from": "approved",
                                  "to": "approved"}
    assert trail[2]["detail"] == {"from": "approved", "to": "hidden"}
    assert {e["who"] for e in trail} == {"laden"}
    assert queue.list_items(session, laden, "hidden")[0]["public_description"] == "Schaufenster beschädigt"
    assert [i["kind"] for i in queue.list_items(session, laden, "approved")] == ["photo"]


def test_another_teams_finding_is_as_if_it_did_not_exist(client, session, mode, photo_storage, people):
    sent = send_finding(client, photos=1)
    for call in (lambda: actions.decide_text(session, people["rad"], sent["id"], "approve"),
                 lambda: actions.decide_photo(session, people["rad"], sent["photos"][0]["id"], "hide"),
                 lambda: actions.edit_public_text(session, people["alone"], sent["id"], "x"),
                 lambda: actions.decide_text(session, people["orga"], "not-a-uuid", "approve")):
        with pytest.raises(NotFound):
            call()
    assert queue.pending_count(session, people["orga"]) == 2


@pytest.mark.parametrize("value", ["", "   ", None, 5, "x" * 2001, "a\x00b"])
def test_an_empty_or_too_long_public_text_is_refused_naming_the_field(client, session, mode, people, value):
    sent = send_finding(client, photos=0)
    with pytest.raises(ValidationFailed) as refused:
        actions.edit_public_text(session, people["orga"], sent["id"], value)
    assert "text" in refused.value.fields


def team_client(app, username):
    team = app.test_client()
    log_in(team, username)
    return team


def test_the_json_routes_approve_edit_hide_and_answer_the_pending_count(app, client, mode, photo_storage,
                                                                       people):
    sent = send_finding(client, photos=1)
    team = team_client(app, "laden")
    base = "/api/review/moderation"
    answer = team.post(f"{base}/texts/{sent['id']}/approve", json={})
    assert answer.status_code == 200 and answer.get_json() == {"state": "approved", "changed": True, "pending": 1}
    assert answer.headers["Cache-Control"] == "no-store"
    answer = team.post(f"{base}/photos/{sent['photos'][0]['id']}/hide", json={})
    assert answer.get_json()["pending"] == 0 and answer.get_json()["state"] == "hidden"
    answer = team.put(f"{base}/texts/{sent['id']}", json={"text": "Neu"})
    assert answer.get_json()["public_text"] == "Neu"
    bad = team.put(f"{base}/texts/{sent['id']}", json={"text": ""})
    assert bad.status_code == 422 and "text" in bad.get_json()["fields"]
    bad = team.post(f"{base}/texts/{sent['id']}/publish", json={})
    assert bad.status_code == 422 and "action" in bad.get_json()["fields"]
    assert team_client(app, "rad").post(f"{base}/texts/{sent['id']}/hide", json={}).status_code == 404
    assert app.test_client().post(f"{base}/texts/{sent['id']}/hide", json={}).status_code == 401


def test_the_json_routes_need_the_csrf_token(app, client, mode, people, csrf_enabled):
    sent = send_finding(client, photos=0)
    team = app.test_client()
    page = team.get("/login")
    team.post("/login", data={"username": "orga", "password": "lange-genug-2026", "csrf_token": csrf_token(page.text)})
    url = f"/api/review/moderation/texts/{sent['id']}/approve"
    assert team.post(url, json={}).status_code == 400
    token = csrf_token(team.get("/review/moderation").text)
    assert team.post(url, json={}, headers={"X-CSRFToken": token}).status_code == 200


def test_the_navigation_shows_the_pending_count(app, client, mode, photo_storage, people):
    send_finding(client, photos=1)
    page = team_client(app, "laden").get("/review/concerns").text
    assert 'href="/review/moderation"' in page and 'data-role="moderation-count">2<' in page
    assert 'data-role="moderation-count">0<' in team_client(app, "rad").get("/review/concerns").text


def test_off_mode_shows_no_queue_unless_something_is_left_pending(app, client, mode, people):
    mode("off")
    send_finding(client, photos=0)
    assert "/review/moderation" not in team_client(app, "orga").get("/review/concerns").text
    with database(app) as session:
        session.execute(text("UPDATE findings SET text_moderation = 'pending'"))
        session.commit()
    assert "/review/moderation" in team_client(app, "orga").get("/review/concerns").text
