"""Findings placed inside named districts (a point on the district's surface, computed in PostGIS)."""
import io
import uuid

from sqlalchemy import text

from mapapp.findings import store as findings
from mapapp.exports import load_formats
from mapapp.exports.selection import Selection
from mapapp.db.schema.findings import Participant

NICKNAME = "Geheimname-4711"


def point_in(session, name: str) -> tuple[float, float]:
    """(lat, lon) of a point surely inside district ``name`` (the Ortsteil when names clash)."""
    row = session.execute(text("""
        SELECT ST_Y(p), ST_X(p) FROM (
            SELECT ST_PointOnSurface(geom) AS p FROM districts WHERE name = :name
            ORDER BY level = 'ortsteil' DESC LIMIT 1) q
    """), {"name": name}).one()
    return row[0], row[1]


def finding_in(session, district: str, category="empty_shop", description=None, participant_id=None,
               walk_id=None, urgency=None) -> uuid.UUID:
    """Store a finding inside ``district`` and return its id."""
    lat, lon = point_in(session, district)
    new = findings.NewFinding(
        id=uuid.uuid4(), category=category, geometry=findings.point_geometry(lat, lon),
        description=description, walk_id=walk_id, participant_id=participant_id, urgency=urgency,
    )
    findings.create_finding(session, new)
    session.commit()
    return new.id


def make_participant(session, nickname=NICKNAME) -> uuid.UUID:
    participant = Participant(id=uuid.uuid4(), nickname=nickname)
    session.add(participant)
    session.commit()
    return participant.id


def make_concern(session, district: str, title="Radweg Ruhrort", summary="Schlaglöcher", category="empty_shop",
                 status="new") -> str:
    lat, lon = point_in(session, district)
    concern_id = session.execute(text("""
        INSERT INTO concerns (id, title, summary, category_slug, geom, status)
        VALUES (gen_random_uuid(), :title, :summary, :category, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :status)
        RETURNING id::text
    """), {"title": title, "summary": summary, "category": category, "lat": lat, "lon": lon,
           "status": status}).scalar()
    session.commit()
    return concern_id


def export_bytes(session, name: str, **selection) -> bytes:
    out = io.BytesIO()
    load_formats()[name].write(session, Selection(**selection), out)
    return out.getvalue()
