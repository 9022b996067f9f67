"""Shared helpers of the Open311 tests: issuing keys, making concerns, parsing XML."""
import re
import uuid
import xml.etree.ElementTree as ET

from sqlalchemy import text

from mapapp.db import db
from mapapp.open311 import apikeys
from tests.factories import make_finding


def issue_key(session, name="Mängelmelder") -> tuple[int, str]:
    info, key = apikeys.create_key(session, name)
    return info.id, key


def make_concern(session, finding_ids, status="new", category="empty_shop", note=None,
                 public_message=None) -> uuid.UUID:
    """Store a concern at the first finding's place holding ``finding_ids`` (plain SQL, no workflow);
    ``note`` goes into its audit trail (internal), ``public_message`` is its text for the public."""
    concern_id = uuid.uuid4()
    session.execute(text("""
        INSERT INTO concerns (id, title, summary, category_slug, geom, status, public_message, public_message_at)
        SELECT :id, 'Leerstand am Platz', 'Mehrere Läden stehen leer', :category, ST_PointOnSurface(geom), :status,
               CAST(:public_message AS text), CASE WHEN CAST(:public_message AS text) IS NULL THEN NULL ELSE now() END
        FROM findings WHERE id = :first
    """), {"id": concern_id, "category": category, "status": status, "first": finding_ids[0],
           "public_message": public_message})
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


def confirmed(session, category="empty_shop"):
    return make_concern(session, [make_finding(session, category=category)], status="confirmed",
                        category=category)


def submission(session, concern_id):
    session.expire_all()
    return session.execute(text("SELECT * FROM city_submissions WHERE concern_id = :id"),
                           {"id": concern_id}).mappings().one()


def concern(session, concern_id):
    return session.execute(text("SELECT status, version FROM concerns WHERE id = :id"),
                           {"id": concern_id}).one()


def events(session, concern_id):
    return session.execute(text(
        "SELECT from_status, to_status, note FROM concern_events"
        " WHERE concern_id = :id AND action = 'status_changed' ORDER BY id"), {"id": concern_id}).all()


def _token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def _db(app, func):
    """Run ``func(session)`` in its own app context (see test_csrf_is_enforced_on_the_json_api:
    the ``session`` fixture's context would be shared by the requests, and with it the CSRF token cache)."""
    with app.app_context():
        try:
            return func(db.session)
        finally:
            db.session.remove()
