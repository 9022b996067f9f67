"""Shared helpers of the Open311 tests: issuing keys, making concerns, parsing XML."""
import uuid
import xml.etree.ElementTree as ET

from sqlalchemy import text

from mapapp.open311 import apikeys


def issue_key(session, name="Mängelmelder") -> tuple[int, str]:
    info, key = apikeys.create_key(session, name)
    return info.id, key


def make_concern(session, finding_ids, status="new", category="empty_shop", note=None) -> uuid.UUID:
    """Store a concern at the first finding's place holding ``finding_ids`` (plain SQL, no workflow)."""
    concern_id = uuid.uuid4()
    session.execute(text("""
        INSERT INTO concerns (id, title, summary, category_slug, geom, status)
        SELECT :id, 'Leerstand am Platz', 'Mehrere Läden stehen leer', :category, ST_PointOnSurface(geom), :status
        FROM findings WHERE id = :first
    """), {"id": concern_id, "category": category, "status": status, "first": finding_ids[0]})
    session.execute(text("UPDATE findings SET concern_id = :id WHERE id = ANY(:ids)"),
                    {"id": concern_id, "ids": list(finding_ids)})
    if note:
        session.execute(text("INSERT INTO concern_events (concern_id, action, note) VALUES (:id, 'status', :note)"),
                        {"id": concern_id, "note": note})
    session.commit()
    return concern_id


def xml_root(response) -> ET.Element:
    assert response.content_type.startswith("text/xml")
    return ET.fromstring(response.data)
