"""Factories for findings and walks, going through the same domain functions as the API."""
import uuid
from datetime import datetime, timezone

from mapapp.findings import store as findings
from mapapp.walks import listing as walks

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


def make_team_member(session, team="Team Radverkehr", categories=("cycle_path",), username="rita",
                     display_name="Rita Rad"):
    """Store a team owning ``categories`` with one member, ``username``; return the member's ``Account``."""
    member = make_user(session, username, role="team_member", display_name=display_name)
    make_team(session, team, categories, members=[member.id])
    return member


def make_concern(session, user_id, *, title="Radweg Bismarckstraße", category="cycle_path", finding_ids=None,
                 summary=None) -> uuid.UUID:
    """Group findings (by default one new finding of ``category``) into a concern; return its id."""
    from mapapp.review.concerns import workflow

    finding_ids = finding_ids or [make_finding(session, category=category)]
    detail = workflow.create_concern(session, title=title, summary=summary, category=category,
                                     finding_ids=finding_ids, user_id=user_id)
    return uuid.UUID(detail["id"])
