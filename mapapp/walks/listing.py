"""Walks (Ortsbegehungen): listing them and creating them."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


def list_walks(session: Session) -> list[dict]:
    """Return all walks, next first, with their districts, meeting point (and its name) and finding count."""
    rows = session.execute(text("""
        SELECT w.id, w.title, w.topic, w.description, w.starts_at,
               sb.code AS stadtbezirk_code, sb.name AS stadtbezirk,
               ot.code AS ortsteil_code, ot.name AS ortsteil,
               ST_AsGeoJSON(w.meeting_point, 7)::json AS meeting_point, w.meeting_point_name,
               (SELECT count(*) FROM findings f WHERE f.walk_id = w.id) AS findings
        FROM walks w
        LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id
        LEFT JOIN districts ot ON ot.id = w.ortsteil_id
        ORDER BY w.starts_at DESC NULLS LAST, w.title
    """)).mappings()
    return [
        {**row, "id": str(row["id"]), "starts_at": row["starts_at"] and row["starts_at"].isoformat()}
        for row in rows
    ]


def upsert_walk(
    session: Session, *, id: uuid.UUID, title: str, topic: str | None, description: str | None,
    starts_at: datetime | None, meeting_lat: float, meeting_lon: float, ortsteil_code: str | None,
    meeting_point_name: str | None = None,
) -> None:
    """Create or update a walk; its Stadtbezirk follows from the Ortsteil or the meeting point.

    Without ``ortsteil_code`` both districts are the meeting point's, by the database function
    ``mapapp_districts_at`` that also places findings (migration 0014).
    """
    session.execute(
        text("""
            WITH point AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g),
            chosen AS (
                SELECT d.id, d.parent_id FROM districts d
                WHERE d.level = 'ortsteil' AND d.code = CAST(:ortsteil_code AS text)
                ORDER BY d.id LIMIT 1
            )
            INSERT INTO walks (id, title, topic, description, starts_at, meeting_point, meeting_point_name,
                               ortsteil_id, stadtbezirk_id)
            SELECT :id, :title, :topic, :description, :starts_at, point.g, :meeting_point_name,
                   CASE WHEN CAST(:ortsteil_code AS text) IS NULL THEN here.ortsteil_id
                        ELSE (SELECT id FROM chosen) END,
                   CASE WHEN CAST(:ortsteil_code AS text) IS NULL THEN here.stadtbezirk_id
                        ELSE COALESCE((SELECT parent_id FROM chosen), here.stadtbezirk_id) END
            FROM point CROSS JOIN LATERAL mapapp_districts_at(point.g) AS here
            ON CONFLICT (id) DO UPDATE SET
                title = EXCLUDED.title, topic = EXCLUDED.topic, description = EXCLUDED.description,
                starts_at = EXCLUDED.starts_at, meeting_point = EXCLUDED.meeting_point,
                meeting_point_name = EXCLUDED.meeting_point_name,
                ortsteil_id = EXCLUDED.ortsteil_id, stadtbezirk_id = EXCLUDED.stadtbezirk_id
        """),
        dict(id=id, title=title, topic=topic, description=description, starts_at=starts_at,
             lat=meeting_lat, lon=meeting_lon, ortsteil_code=ortsteil_code,
             meeting_point_name=meeting_point_name),
    )
