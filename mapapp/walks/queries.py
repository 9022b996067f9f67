"""What the organiser pages list: walks with their links' codes, districts for the select."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def organiser_walks(session: Session) -> list[dict]:
    """Return every walk, next first, with district names, join code and finding count."""
    rows = session.execute(text("""
        SELECT w.id, w.title, w.topic, w.starts_at, w.ends_at, w.join_code,
               ot.name AS ortsteil, sb.name AS stadtbezirk,
               (SELECT count(*) FROM findings f WHERE f.walk_id = w.id) AS findings
        FROM walks w
        LEFT JOIN districts ot ON ot.id = w.ortsteil_id
        LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id
        ORDER BY w.starts_at DESC NULLS LAST, w.title
    """)).mappings()
    return [dict(row) for row in rows]


# A district's extent as Leaflet's [[south, west], [north, east]].
BOUNDS = """json_build_array(
    json_build_array(round(ST_YMin({g})::numeric, 6), round(ST_XMin({g})::numeric, 6)),
    json_build_array(round(ST_YMax({g})::numeric, 6), round(ST_XMax({g})::numeric, 6)))"""


def district_options(session: Session) -> list[dict]:
    """Return the Stadtbezirke by code, each with its Ortsteile and every one with its extent.

    ``[{code, name, bounds, ortsteile: [{code, name, bounds}]}]``; ``bounds`` lets the walk
    form's map zoom to the chosen district without asking the server again.
    """
    return session.execute(text(f"""
        SELECT COALESCE(json_agg(json_build_object(
            'code', sb.code, 'name', sb.name, 'bounds', {BOUNDS.format(g="sb.geom")},
            'ortsteile', COALESCE((
                SELECT json_agg(json_build_object('code', ot.code, 'name', ot.name,
                                                  'bounds', {BOUNDS.format(g="ot.geom")})
                                ORDER BY length(ot.code), ot.code)
                FROM districts ot WHERE ot.level = 'ortsteil' AND ot.parent_id = sb.id), '[]'::json)
        ) ORDER BY length(sb.code), sb.code), '[]'::json)
        FROM districts sb WHERE sb.level = 'stadtbezirk'
    """)).scalar()
