"""Participants list, edit and delete their own findings, and nobody else's."""
import uuid

import pytest
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, RHEINHAUSEN_MARKT, finding_payload, make_walk


@pytest.fixture
def alice(app):
    return app.test_client()


@pytest.fixture
def bob(app):
    return app.test_client()


def pin(client, **overrides):
    response = client.post("/api/findings", json=finding_payload(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_posting_gives_a_participant_cookie_and_marks_the_finding_mine(alice, bob, session):
    feature = pin(alice)
    assert feature["properties"]["mine"] is True
    assert alice.get_cookie("mapapp_participant") is not None
    assert bob.get(f"/api/findings/{feature['id']}").get_json()["properties"]["mine"] is False
    second = pin(alice)
    owners = session.execute(text("SELECT count(DISTINCT participant_id) FROM findings")).scalar()
    assert owners == 1 and second["properties"]["mine"]


def test_owner_edits_text_answers_and_place(alice, session):
    feature = pin(alice, category="empty_shop")
    response = alice.patch(f"/api/findings/{feature['id']}", json={
        "description": "Jetzt mit Aushang", "attributes": {"ground_floor": "yes"}, "urgency": 4,
        "lat": RHEINHAUSEN_MARKT[0], "lon": RHEINHAUSEN_MARKT[1],
    })
    assert response.status_code == 200, response.get_json()
    props = response.get_json()["properties"]
    assert props["description"] == "Jetzt mit Aushang"
    assert props["attributes"] == {"ground_floor": "yes"}
    assert props["urgency"] == 4
    assert props["ortsteil"] == "Rheinhausen-Mitte"
    assert props["updated_at"] > props["created_at"]


def test_editing_someone_elses_finding_is_refused(alice, bob, session):
    feature = pin(alice, description="original")
    for response in (
        bob.patch(f"/api/findings/{feature['id']}", json={"description": "vandalised"}),
        bob.delete(f"/api/findings/{feature['id']}"),
    ):
        assert response.status_code == 403
        assert response.get_json()["error"] == "forbidden"
    stored = session.execute(text("SELECT description FROM findings WHERE id = :id"), {"id": feature["id"]}).scalar()
    assert stored == "original"


def test_moving_outside_duisburg_is_refused_and_changes_nothing(alice, session):
    feature = pin(alice)
    response = alice.patch(f"/api/findings/{feature['id']}", json={"lat": 52.37, "lon": 4.90, "description": "x"})
    assert response.status_code == 422 and {"lat", "lon"} <= set(response.get_json()["fields"])
    row = session.execute(text("SELECT ST_Y(geom), description FROM findings WHERE id = :id"),
                          {"id": feature["id"]}).one()
    assert row == (BISMARCKPLATZ[0], "Leeres Ladenlokal")


def test_owner_deletes_and_a_repeat_is_404(alice, session):
    feature = pin(alice)
    assert alice.delete(f"/api/findings/{feature['id']}").status_code == 204
    assert alice.delete(f"/api/findings/{feature['id']}").status_code == 404
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 0


def test_patch_validation_names_fields(alice):
    feature = pin(alice)
    for body, field in (({"urgency": 9}, "urgency"), ({"lat": 51.4}, "lon"), ({"category": "nope"}, "category")):
        response = alice.patch(f"/api/findings/{feature['id']}", json=body)
        assert response.status_code == 422
        assert field in response.get_json()["fields"]
    assert alice.patch(f"/api/findings/{uuid.uuid4()}", json={}).status_code == 404


def test_map_page_gives_the_id_before_the_first_post(alice, session):
    """A retried first POST (answer lost) still belongs to the same participant."""
    alice.get("/")
    cookie = alice.get_cookie("mapapp_participant")
    assert cookie is not None
    assert session.execute(text("SELECT count(*) FROM participants")).scalar() == 0
    body = finding_payload()
    first = alice.post("/api/findings", json=body)
    retry = alice.post("/api/findings", json=body)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.get_json()["properties"]["mine"] is True
    assert alice.get_cookie("mapapp_participant").value == cookie.value
    assert session.execute(text("SELECT count(*) FROM participants")).scalar() == 1


def group_into_concern(session, finding_id, status, note):
    """Put a finding into a new concern with ``status``; ``note`` goes into its internal trail."""
    concern_id = uuid.uuid4()
    session.execute(text("""
        INSERT INTO concerns (id, title, summary, category_slug, geom, status)
        SELECT :id, 'Interner Titel', 'Interne Zusammenfassung', category_slug, geom, :status
        FROM findings WHERE id = :finding"""), {"id": concern_id, "status": status, "finding": finding_id})
    session.execute(text("UPDATE findings SET concern_id = :id WHERE id = :finding"),
                    {"id": concern_id, "finding": finding_id})
    session.execute(text("INSERT INTO concern_events (concern_id, action, note) VALUES (:id, 'status', :note)"),
                    {"id": concern_id, "note": note})
    session.commit()


def test_my_findings_lists_only_ones_own_with_the_concerns_status(alice, bob, session):
    walk_id = make_walk(session)
    grouped = pin(alice, category="empty_shop")
    on_walk = pin(alice, category="litter", walk_id=str(walk_id), lat=RHEINHAUSEN_MARKT[0], lon=RHEINHAUSEN_MARKT[1])
    pin(bob, category="noise")
    group_into_concern(session, grouped["id"], "in_review", "Eigentümer angerufen, Nummer 0203-123")

    response = alice.get("/api/me/findings")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    body = response.get_data(as_text=True)
    assert "0203-123" not in body and "Interne" not in body, "internal notes must never appear"
    features = response.get_json()["features"]
    assert [f["id"] for f in features] == [on_walk["id"], grouped["id"]]  # newest first
    newest, oldest = (f["properties"] for f in features)
    assert (oldest["concern_status"], oldest["concern_status_label"]) == ("in_review", "In Prüfung")
    assert (newest["concern_status"], newest["concern_status_label"]) == (None, None)
    assert newest["ortsteil"] == "Rheinhausen-Mitte" and newest["category_label"] == "Müll und Schmutz"
    assert newest["photos"] == [] and newest["mine"] is True and newest["created_at"] and newest["updated_at"]

    assert [f["properties"]["category"] for f in bob.get("/api/me/findings").get_json()["features"]] == ["noise"]
    walk_only = alice.get(f"/api/me/findings?walk={walk_id}").get_json()["features"]
    assert [f["id"] for f in walk_only] == [on_walk["id"]]


def test_my_findings_speak_the_requests_language(alice, session):
    grouped = pin(alice)
    group_into_concern(session, grouped["id"], "resolved", "intern")
    props = alice.get("/api/me/findings?lang=ar").get_json()["features"][0]["properties"]
    assert props["concern_status"] == "resolved"
    assert props["concern_status_label"] == "محلولة"  # "Erledigt"
    assert props["category_label"] == "محل تجاري فارغ"  # "Leeres Ladenlokal"


def test_my_findings_without_a_cookie_are_none(client, alice):
    pin(alice)
    response = client.get("/api/me/findings")
    assert response.status_code == 200
    assert response.get_json() == {"type": "FeatureCollection", "features": []}
    assert client.get_cookie("mapapp_participant") is None, "listing issues no cookie"


def test_my_findings_name_a_bad_walk(alice):
    response = alice.get("/api/me/findings?walk=nope")
    assert response.status_code == 422 and "walk" in response.get_json()["fields"]
