"""The public feed (requests.json/.xml, no key) carries only text written for the public.

``status_notes`` is the concern's public message, never a note of its audit trail (status
notes, edit records); ``agency_responsible`` is the configured public name, never a team.
"""
import pytest

from mapapp.review.concerns import workflow as concerns
from tests.factories import RHEINHAUSEN_MARKT, make_concern, make_finding, make_team_member
from tests.open311.helpers import xml_root

BASE = "/open311/v2"
NOTE = "Vor Ort bestätigt"
TEAM = "Team Einzelhandel Innenstadt"
MESSAGE = "Wir haben die Eigentümerin angeschrieben."


@pytest.fixture
def rita(session):
    return make_team_member(session, TEAM, ["empty_shop"])


@pytest.fixture
def concern_id(session, rita):
    """A concern with internal notes: a status note and an edit record ("title, summary")."""
    cid = make_concern(session, rita.id, title="Leerstand am Platz", category="empty_shop")
    concerns.change_status(session, cid, to_status="in_review", note=NOTE, user_id=rita.id, expected_version=1)
    concerns.update_concern(session, cid, title="Leerstand Bismarckplatz", summary="Drei Läden leer",
                            user_id=rita.id, expected_version=2)
    return cid


def feeds(client, path):
    """The JSON and the XML answer of ``path`` (without the extension) as text."""
    return [client.get(f"{BASE}/{path}.{fmt}").get_data(as_text=True) for fmt in ("json", "xml")]


def test_internal_notes_and_teams_never_reach_the_feed(client, session, concern_id):
    loose = make_finding(session, *RHEINHAUSEN_MARKT)
    for body in feeds(client, "requests") + feeds(client, f"requests/{concern_id}"):
        for secret in (NOTE, "title, summary", TEAM, "Rita Rad", "rita"):
            assert secret not in body, secret
    by_id = {item["service_request_id"]: item for item in client.get(f"{BASE}/requests.json").get_json()}
    assert by_id[str(concern_id)]["status_notes"] is None
    assert by_id[str(concern_id)]["agency_responsible"] == "Bürgerplattform Duisburg"
    assert by_id[str(loose)]["agency_responsible"] == "Bürgerplattform Duisburg"


def test_the_public_message_is_the_status_notes(client, session, rita, concern_id):
    concerns.update_concern(session, concern_id, public_message=MESSAGE, user_id=rita.id, expected_version=3)
    [item] = client.get(f"{BASE}/requests/{concern_id}.json").get_json()
    assert item["status_notes"] == MESSAGE
    root = xml_root(client.get(f"{BASE}/requests.xml"))
    assert root.find("request/status_notes").text == MESSAGE
    concerns.change_status(session, concern_id, to_status="confirmed", note="Intern: Eigentümerin heißt Schmidt",
                           user_id=rita.id, expected_version=4)
    [item] = client.get(f"{BASE}/requests/{concern_id}.json").get_json()
    assert item["status_notes"] == MESSAGE and "Schmidt" not in client.get(f"{BASE}/requests.json").text


def test_the_agency_is_the_configured_public_name(app, client, session, concern_id):
    before = app.config["PUBLIC_AGENCY_NAME"]
    app.config["PUBLIC_AGENCY_NAME"] = "Stadtteilbüro Hochfeld"
    try:
        [item] = client.get(f"{BASE}/requests/{concern_id}.json").get_json()
        assert item["agency_responsible"] == "Stadtteilbüro Hochfeld"
        root = xml_root(client.get(f"{BASE}/requests/{concern_id}.xml"))
        assert root.find("request/agency_responsible").text == "Stadtteilbüro Hochfeld"
    finally:
        app.config["PUBLIC_AGENCY_NAME"] = before


def test_the_agency_name_comes_from_the_environment(app, monkeypatch):
    from tests.conftest import make_app

    monkeypatch.setenv("MAPAPP_PUBLIC_AGENCY_NAME", "Bürgerforum Marxloh")
    configured = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    assert configured.config["PUBLIC_AGENCY_NAME"] == "Bürgerforum Marxloh"
