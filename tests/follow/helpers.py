"""A participant with findings, one of them grouped into a concern with public and internal texts."""
import re
import uuid

from mapapp.review.concerns import workflow as concerns
from tests.factories import finding_payload, make_team, make_user

PUBLIC_MESSAGE = "Die Stadt prüft den Leerstand im Frühjahr."
INTERNAL_NOTE = "Vor Ort bestätigt, Eigentümer Herr Beispiel will anonym bleiben"
CONCERN_TITLE = "Intern: Eigentümer anrufen"
CONCERN_SUMMARY = "Interne Zusammenfassung für das Team"
OWN_TEXT = "Schaufenster seit Monaten zugeklebt"
FOLLOW_PATH = re.compile(r"/f/([A-Za-z0-9_-]{43})")


def pin(client, **overrides) -> str:
    """Store a finding as ``client``'s participant (its cookie); return its id."""
    response = client.post("/api/findings", json=finding_payload(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def group_with_updates(session, finding_id: str) -> uuid.UUID:
    """Put the finding into a concern, confirm it with an internal note, give it a public message."""
    rita = make_user(session, "rita", role="team_member", display_name="Rita Rad")
    make_team(session, "Team Leerstand", ["empty_shop"], members=[rita.id])
    detail = concerns.create_concern(session, title=CONCERN_TITLE, summary=CONCERN_SUMMARY, category="empty_shop",
                                     finding_ids=[finding_id], user_id=rita.id)
    concern_id = uuid.UUID(detail["id"])
    detail = concerns.change_status(session, concern_id, to_status="in_review", note=INTERNAL_NOTE,
                                    user_id=rita.id, expected_version=detail["version"])
    detail = concerns.update_concern(session, concern_id, public_message=PUBLIC_MESSAGE, user_id=rita.id,
                                     expected_version=detail["version"])
    concerns.change_status(session, concern_id, to_status="confirmed", note=INTERNAL_NOTE, user_id=rita.id,
                           expected_version=detail["version"])
    return concern_id


def make_link(client) -> str:
    """Make ``client``'s follow link from its page; return the token."""
    response = client.post("/me/follow-link")
    assert response.status_code == 303, response.get_data(as_text=True)
    return FOLLOW_PATH.search(response.headers["Location"]).group(1)
