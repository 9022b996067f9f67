"""Creating and changing walks as an organiser, and a walk's full description. No Flask here.

Spatial checks (is the meeting point, is the route inside Duisburg?) and the district a
walk belongs to are answered by PostGIS; Python only checks the shape of the input.
"""
from __future__ import annotations

import json
import math
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import NotFound, ValidationFailed

TITLE_MAX = 200
TOPIC_MAX = 200
MEETING_POINT_NAME_MAX = 200
DESCRIPTION_MAX = 5000
ROUTE_MAX_POINTS = 1000
BOUNDS_MARGIN_M = 100
OUTSIDE = "lies outside the area the platform covers (Duisburg)"


@dataclass
class WalkData:
    """What an organiser says about a walk.

    ``district`` is ``"ortsteil:<code>"`` or ``"stadtbezirk:<code>"``; None lets the
    meeting point decide. ``route`` is a GeoJSON LineString geometry (dict or text).
    ``meeting_point_name`` says where to meet in words ("Bismarckplatz, vor dem Rathaus").
    ``categories`` lists the slugs offered; None or empty offers all of them.
    """

    title: str
    meeting_lat: float
    meeting_lon: float
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    topic: str | None = None
    description: str | None = None
    meeting_point_name: str | None = None
    district: str | None = None
    route: dict | str | None = None
    categories: list[str] | None = field(default=None)


def _as_walk_data(data: WalkData | dict) -> WalkData:
    return data if isinstance(data, WalkData) else WalkData(**data)


def _clean_text(value: str | None) -> str | None:
    return (value or "").strip() or None


def _route_json(route: dict | str | None, errors: dict) -> str | None:
    """Return the route as 2-D GeoJSON text, or None; note what is wrong in ``errors``."""
    if route in (None, ""):
        return None
    try:
        geometry = json.loads(route) if isinstance(route, str) else route
        assert isinstance(geometry, dict) and geometry.get("type") == "LineString"
        points = [(float(lon), float(lat)) for lon, lat in geometry["coordinates"]]
    except (ValueError, TypeError, KeyError, AssertionError):
        errors["route"] = "must be a GeoJSON LineString of [lon, lat] positions"
        return None
    if not all(math.isfinite(v) for point in points for v in point):
        errors["route"] = "coordinates must be finite numbers"
    elif len(set(points)) < 2:
        errors["route"] = "needs at least two different points"
    elif len(points) > ROUTE_MAX_POINTS:
        errors["route"] = f"at most {ROUTE_MAX_POINTS} points"
    else:
        return json.dumps({"type": "LineString", "coordinates": points})
    return None


def _check_fields(data: WalkData) -> tuple[dict, str | None]:
    """Check everything that needs no database; return the errors and the route text."""
    errors = {}
    if not _clean_text(data.title):
        errors["title"] = "required"
    elif len(data.title.strip()) > TITLE_MAX:
        errors["title"] = f"at most {TITLE_MAX} characters"
    if data.topic and len(data.topic.strip()) > TOPIC_MAX:
        errors["topic"] = f"at most {TOPIC_MAX} characters"
    if data.description and len(data.description) > DESCRIPTION_MAX:
        errors["description"] = f"at most {DESCRIPTION_MAX} characters"
    if data.meeting_point_name and len(data.meeting_point_name.strip()) > MEETING_POINT_NAME_MAX:
        errors["meeting_point_name"] = f"at most {MEETING_POINT_NAME_MAX} characters"
    for name in ("starts_at", "ends_at"):
        value = getattr(data, name)
        if value is not None and value.tzinfo is None:
            errors[name] = "needs a time zone"
    if "starts_at" not in errors and "ends_at" not in errors and data.ends_at is not None:
        if data.starts_at is None or data.ends_at <= data.starts_at:
            errors["ends_at"] = "must be after the start"
    try:
        lat, lon = float(data.meeting_lat), float(data.meeting_lon)
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError
    except (TypeError, ValueError):
        errors["meeting_point"] = "needs a latitude and a longitude"
    if data.district and (data.district.partition(":")[0] not in ("ortsteil", "stadtbezirk")
                          or not data.district.partition(":")[2]):
        errors["district"] = "must be 'ortsteil:<code>' or 'stadtbezirk:<code>'"
    return errors, _route_json(data.route, errors)


def _check_places(session: Session, data: WalkData, route: str | None, errors: dict) -> tuple[int, int]:
    """Check the place-related fields in PostGIS; return (ortsteil_id, stadtbezirk_id).

    The districts are the chosen one (and an Ortsteil's parent) or, without a choice, the
    meeting point's by ``mapapp_districts_at``, the lookup that also places findings.
    """
    level, _, code = (data.district or "").partition(":")
    row = session.execute(text("""
        WITH point AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g),
        here AS (SELECT at.* FROM point, mapapp_districts_at(point.g) AS at),
        city AS (SELECT ST_Union(geom) AS g FROM districts WHERE level = 'stadtbezirk'),
        chosen AS (
            SELECT d.id, d.parent_id FROM districts d
            WHERE d.level = CAST(:level AS text) AND d.code = CAST(:code AS text)
            ORDER BY d.id LIMIT 1)
        SELECT CASE CAST(:level AS text) WHEN '' THEN (SELECT ortsteil_id FROM here)
                                         WHEN 'ortsteil' THEN (SELECT id FROM chosen) END AS ortsteil_id,
               CASE CAST(:level AS text) WHEN 'stadtbezirk' THEN (SELECT id FROM chosen)
                                         WHEN 'ortsteil' THEN COALESCE((SELECT parent_id FROM chosen),
                                                                       (SELECT stadtbezirk_id FROM here))
                                         ELSE (SELECT stadtbezirk_id FROM here) END AS stadtbezirk_id,
               ST_CoveredBy((SELECT g FROM point), (SELECT g FROM city)) AS point_inside,
               CAST(:route AS text) IS NULL OR ST_CoveredBy(
                   ST_SetSRID(ST_GeomFromGeoJSON(CAST(:route AS text)), 4326), (SELECT g FROM city)) AS route_inside
    """), {"lat": data.meeting_lat, "lon": data.meeting_lon, "level": level, "code": code,
           "route": route}).mappings().one()
    if not row["point_inside"]:
        errors["meeting_point"] = OUTSIDE
    if not row["route_inside"]:
        errors["route"] = OUTSIDE
    if level and (row["ortsteil_id"] if level == "ortsteil" else row["stadtbezirk_id"]) is None:
        errors["district"] = f"unknown {level} '{code}'"
    return row["ortsteil_id"], row["stadtbezirk_id"]


def _check_categories(session: Session, slugs: list[str] | None, errors: dict) -> list[str]:
    slugs = sorted(set(slugs or []))
    if slugs:
        known = set(session.execute(
            text("SELECT slug FROM categories WHERE active AND slug = ANY(:slugs)"), {"slugs": slugs}
        ).scalars())
        unknown = [slug for slug in slugs if slug not in known]
        if unknown:
            errors["categories"] = f"unknown categories: {', '.join(unknown)}"
    return slugs


def _validated(session: Session, data: WalkData) -> dict:
    """Return the row values for ``data`` or raise ValidationFailed naming every wrong field."""
    errors, route = _check_fields(data)
    categories = _check_categories(session, data.categories, errors)
    ortsteil_id = stadtbezirk_id = None
    if "meeting_point" not in errors and "district" not in errors:
        ortsteil_id, stadtbezirk_id = _check_places(session, data, route if "route" not in errors else None, errors)
    if errors:
        raise ValidationFailed("The walk cannot be saved.", errors)
    return {
        "title": data.title.strip(), "topic": _clean_text(data.topic),
        "description": _clean_text(data.description), "starts_at": data.starts_at, "ends_at": data.ends_at,
        "meeting_point_name": _clean_text(data.meeting_point_name),
        "lat": float(data.meeting_lat), "lon": float(data.meeting_lon), "route": route,
        "ortsteil_id": ortsteil_id, "stadtbezirk_id": stadtbezirk_id, "categories": categories,
    }


def _store_categories(session: Session, walk_id: uuid.UUID, categories: list[str]) -> None:
    session.execute(text("DELETE FROM walk_categories WHERE walk_id = :id"), {"id": walk_id})
    if categories:
        session.execute(
            text("INSERT INTO walk_categories (walk_id, category_slug) SELECT :id, unnest(CAST(:slugs AS text[]))"),
            {"id": walk_id, "slugs": categories},
        )


def create_walk(session: Session, data: WalkData | dict, created_by_id: int | None) -> uuid.UUID:
    """Store a new walk; return its id. Its join code is made by the database."""
    values = _validated(session, _as_walk_data(data))
    walk_id = uuid.uuid4()
    session.execute(text("""
        INSERT INTO walks (id, title, topic, description, starts_at, ends_at, meeting_point,
                           meeting_point_name, route, ortsteil_id, stadtbezirk_id, created_by_id)
        VALUES (:id, :title, :topic, :description, :starts_at, :ends_at,
                ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :meeting_point_name,
                ST_SetSRID(ST_GeomFromGeoJSON(CAST(:route AS text)), 4326),
                :ortsteil_id, :stadtbezirk_id, :created_by_id)
    """), {**values, "id": walk_id, "created_by_id": created_by_id})
    _store_categories(session, walk_id, values["categories"])
    session.commit()
    return walk_id


def update_walk(session: Session, walk_id: uuid.UUID, data: WalkData | dict) -> None:
    """Replace what the organiser said about walk ``walk_id`` (its id and join code stay)."""
    values = _validated(session, _as_walk_data(data))
    updated = session.execute(text("""
        UPDATE walks SET title = :title, topic = :topic, description = :description,
               starts_at = :starts_at, ends_at = :ends_at,
               meeting_point = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326),
               meeting_point_name = :meeting_point_name,
               route = ST_SetSRID(ST_GeomFromGeoJSON(CAST(:route AS text)), 4326),
               ortsteil_id = :ortsteil_id, stadtbezirk_id = :stadtbezirk_id
        WHERE id = :id
    """), {**values, "id": walk_id}).rowcount
    if not updated:
        session.rollback()
        raise NotFound(f"no walk with id {walk_id}")
    _store_categories(session, walk_id, values["categories"])
    session.commit()


DETAIL_SQL = """
    SELECT json_build_object(
        'id', w.id, 'title', w.title, 'topic', w.topic, 'description', w.description,
        'starts_at', w.starts_at, 'ends_at', w.ends_at, 'join_code', w.join_code,
        'ortsteil', ot.name, 'ortsteil_code', ot.code, 'stadtbezirk', sb.name, 'stadtbezirk_code', sb.code,
        'meeting_point', ST_AsGeoJSON(w.meeting_point, 7)::json,
        'meeting_point_name', w.meeting_point_name,
        'route', ST_AsGeoJSON(w.route, 7)::json,
        'bounds', (
            SELECT CASE WHEN box IS NOT NULL THEN json_build_array(
                json_build_array(round(ST_YMin(box)::numeric, 6), round(ST_XMin(box)::numeric, 6)),
                json_build_array(round(ST_YMax(box)::numeric, 6), round(ST_XMax(box)::numeric, 6))) END
            FROM (SELECT ST_Transform(ST_Buffer(ST_ConvexHull(ST_Transform(
                      ST_Collect(ARRAY[w.meeting_point, w.route, ot.geom]), 25832)), :margin, 'quad_segs=4'),
                      4326)::box2d AS box) e),
        'categories', COALESCE((
            SELECT json_agg(c.slug ORDER BY c.sort, c.slug) FROM categories c
            WHERE c.active AND (c.slug IN (SELECT category_slug FROM walk_categories WHERE walk_id = w.id)
                                OR NOT EXISTS (SELECT 1 FROM walk_categories WHERE walk_id = w.id))
        ), '[]'::json)
    )
    FROM walks w
    LEFT JOIN districts ot ON ot.id = w.ortsteil_id
    LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id
"""


def walk_detail(session: Session, walk_id_or_join_code: uuid.UUID | str) -> dict:
    """Return everything pages and scripts need about one walk, JSON-ready.

    ``bounds`` is ``[[south, west], [north, east]]``: the extent of route, meeting point
    and Ortsteil with a margin of ``BOUNDS_MARGIN_M`` metres. ``categories`` lists the
    slugs the walk offers (all active ones when it names none). Raises NotFound.
    """
    key = walk_id_or_join_code
    if isinstance(key, str):
        try:
            key = uuid.UUID(key)
        except ValueError:
            pass
    where = "w.id = :key" if isinstance(key, uuid.UUID) else "w.join_code = :key"
    detail = session.execute(
        text(f"{DETAIL_SQL} WHERE {where}"), {"key": key, "margin": BOUNDS_MARGIN_M}
    ).scalar()
    if detail is None:
        raise NotFound(f"no walk '{walk_id_or_join_code}'")
    return detail
