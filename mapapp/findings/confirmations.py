"""Nearby findings of the same category, and "+1": I saw that too."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import NotFound, ValidationFailed
from mapapp.findings.store import FEATURE_SQL, FROM_SQL

NEARBY_MAX_M = 200


def nearby(session: Session, lat: float, lon: float, category: str, radius_m: float,
           walk_id: uuid.UUID | None = None, viewer: uuid.UUID | None = None, limit: int = 10) -> str:
    """Return other people's findings of ``category`` within ``radius_m`` metres, nearest first.

    Distances are measured in EPSG:25832; a bounding-box prefilter in degrees keeps the
    GiST index on the 4326 geometry in play.
    """
    return session.execute(text(f"""
        WITH here AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g)
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(
            jsonb_set(feature::jsonb, '{{properties,distance_m}}', to_jsonb(round(distance::numeric, 1)))
            ORDER BY distance), '[]'::json))::text
        FROM (
            SELECT {FEATURE_SQL} AS feature,
                   ST_Distance(ST_Transform(f.geom, 25832), ST_Transform(here.g, 25832)) AS distance
            {FROM_SQL}, here
            WHERE f.category_slug = :category
              AND f.geom && ST_Expand(here.g, :radius_m / 60000.0)
              AND ST_DWithin(ST_Transform(f.geom, 25832), ST_Transform(here.g, 25832), :radius_m)
              AND (CAST(:walk_id AS uuid) IS NULL OR f.walk_id = :walk_id)
              AND f.participant_id IS DISTINCT FROM CAST(:viewer AS uuid)
            ORDER BY distance LIMIT :limit
        ) AS near
    """), {"lat": lat, "lon": lon, "category": category, "radius_m": radius_m, "walk_id": walk_id,
           "viewer": viewer, "limit": limit}).scalar_one()


def count(session: Session, finding_id: uuid.UUID) -> int:
    return session.execute(
        text("SELECT count(*) FROM confirmations WHERE finding_id = :id"), {"id": finding_id}
    ).scalar_one()


def confirm(session: Session, finding_id: uuid.UUID, participant_id: uuid.UUID) -> tuple[int, bool]:
    """Record this participant's +1 once; return the count and whether it was new."""
    owner = session.execute(
        text("SELECT participant_id FROM findings WHERE id = :id"), {"id": finding_id}
    ).first()
    if owner is None:
        raise NotFound(_("Diesen Fund gibt es nicht."))
    if owner.participant_id == participant_id:
        message = _("Das ist dein eigener Fund.")
        raise ValidationFailed(message, {"finding": message})
    created = session.execute(text("""
        INSERT INTO confirmations (finding_id, participant_id) VALUES (:f, :p)
        ON CONFLICT DO NOTHING RETURNING 1
    """), {"f": finding_id, "p": participant_id}).first() is not None
    session.commit()
    return count(session, finding_id), created


def unconfirm(session: Session, finding_id: uuid.UUID, participant_id: uuid.UUID) -> int:
    """Take back this participant's +1; return the new count."""
    session.execute(text("DELETE FROM confirmations WHERE finding_id = :f AND participant_id = :p"),
                    {"f": finding_id, "p": participant_id})
    session.commit()
    return count(session, finding_id)
