"""Factories for findings and walks, going through the same domain functions as the API."""
import uuid
from datetime import datetime, timezone

from mapapp import findings, walks

BISMARCKPLATZ = (51.4565, 6.6995)
RHEINHAUSEN_MARKT = (51.4018, 6.7128)
AFRIKA_SIEDLUNG = (51.3905, 6.7780)
HAUPTBAHNHOF = (51.4297, 6.7755)
AMSTERDAM = (52.3676, 4.9041)


def finding_payload(lat=BISMARCKPLATZ[0], lon=BISMARCKPLATZ[1], **overrides) -> dict:
    """A valid POST /api/findings body; override any field."""
    body = {"id": str(uuid.uuid4()), "lat": lat, "lon": lon, "accuracy_m": 6.5,
            "category": "empty_shop", "description": "Leeres Ladenlokal"}
    body.update(overrides)
    return body


def make_finding(session, lat=BISMARCKPLATZ[0], lon=BISMARCKPLATZ[1], category="empty_shop",
                 description=None, walk_id=None, geometry=None) -> uuid.UUID:
    """Store one finding and return its id."""
    new = findings.NewFinding(
        id=uuid.uuid4(), category=category,
        geometry=geometry or findings.point_geometry(lat, lon),
        description=description, walk_id=walk_id,
    )
    findings.create_finding(session, new)
    return new.id


def make_walk(session, title="Ortsbegehung Alt-Homberg", lat=BISMARCKPLATZ[0], lon=BISMARCKPLATZ[1],
              ortsteil_code=None, meeting_point_name=None, description=None) -> uuid.UUID:
    """Store one walk and return its id."""
    walk_id = uuid.uuid4()
    walks.upsert_walk(
        session, id=walk_id, title=title, topic="Einzelhandel", description=description,
        starts_at=datetime(2026, 9, 12, 10, tzinfo=timezone.utc),
        meeting_lat=lat, meeting_lon=lon, ortsteil_code=ortsteil_code, meeting_point_name=meeting_point_name,
    )
    session.commit()
    return walk_id


USER_PASSWORD = "lange-genug-2026"


def make_user(session, username="orga", role="organiser", password=USER_PASSWORD, display_name=None):
    """Store one account (``role`` organiser or team_member) and return its ``Account``."""
    from mapapp.auth import users

    return users.create_user(session, username, password, display_name=display_name, role=role)


def make_team(session, name="Team Radverkehr", categories=("cycle_path",), members=()):
    """Store one team owning ``categories`` with the accounts ``members`` (user ids); return its ``Team``."""
    from mapapp.review import teams

    team = teams.create_team(session, name, categories)
    for user_id in members:
        team = teams.add_member(session, team.id, user_id)
    return team
