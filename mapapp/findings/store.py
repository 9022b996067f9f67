"""Storing and querying findings. No Flask here: routes, CLI and tests call these.

GeoJSON is built by PostGIS (ST_AsGeoJSON, json_build_object, json_agg) and handed
back as text, so a response body never passes through a Python loop or re-parse.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from flask_babel import format_decimal, gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import attributes, filters as finding_filters
from mapapp.config import Defaults
from mapapp.errors import NotFound, ValidationFailed
from mapapp.findings.fields import properties_sql
from mapapp.findings.filters import FindingFilter
from mapapp.moderation.intake import text_state

# A finding as a GeoJSON Feature; its properties are listed in mapapp.findings.fields. FEATURE_SQL
# is the public's (moderated text and photos, all of them to the sender: ``:viewer``),
# TEAM_FEATURE_SQL the review pages' (everything as sent).
FEATURE_TEMPLATE = """
    json_build_object(
        'type', 'Feature',
        'id', f.id,
        'geometry', ST_AsGeoJSON(f.geom, 7)::json,
        'properties', json_build_object(
            {properties}
        )
    )
"""
FEATURE_SQL = FEATURE_TEMPLATE.format(properties=properties_sql())
TEAM_FEATURE_SQL = FEATURE_TEMPLATE.format(properties=properties_sql(team=True))

JOINS_SQL = """
    JOIN categories c ON c.slug = f.category_slug
    LEFT JOIN districts o ON o.id = f.ortsteil_id
    LEFT JOIN districts s ON s.id = f.stadtbezirk_id
    LEFT JOIN concerns k ON k.id = f.concern_id
"""
FROM_SQL = "FROM findings f" + JOINS_SQL

# Everything a new finding is checked against, in one round trip: whether its id is taken,
# its category, its walk and the category's questions.
CONTEXT_SQL = """
    SELECT EXISTS (SELECT 1 FROM findings WHERE id = :id) AS taken,
           (SELECT active FROM categories WHERE slug = :category) AS active,
           CAST(:walk_id AS uuid) IS NULL OR EXISTS (SELECT 1 FROM walks WHERE id = :walk_id) AS walk_known,
           CAST(:walk_id AS uuid) IS NULL
               OR NOT EXISTS (SELECT 1 FROM walk_categories WHERE walk_id = :walk_id)
               OR EXISTS (SELECT 1 FROM walk_categories
                          WHERE walk_id = :walk_id AND category_slug = :category) AS offered,
           (SELECT COALESCE(json_agg(json_build_object(
                       'code', code, 'datatype', datatype, 'required', required, 'values', values)
                       ORDER BY "order", code), '[]'::json)
            FROM category_attributes WHERE category_slug = :category) AS questions
"""

# How far (metres) a line may stray from the Stadtbezirke. The default boundaries leave no gaps,
# but the city's official layer, once imported, leaves slivers between neighbours (up to 0.7 m
# wide, 1.6 km long) that a line along a boundary street runs through. A point gets no slack: its
# Stadtbezirk must cover it (the default boundaries reach 300 m beyond the city anyway).
LINE_SLACK_M = 2

# Where the stored finding ``f`` lies, checked in the statement that stores it: ``outside`` when
# no Stadtbezirk holds the point (or a line's middle: the trigger leaves ``stadtbezirk_id``
# empty); for a line, ``line_problem`` is 'outside' when any part of it lies beyond the
# Stadtbezirke near it (grown by LINE_SLACK_M) and 'too_long' beyond :line_max_m metres.
PLACE_SQL = f"""
    f.stadtbezirk_id IS NULL AS outside,
    CASE WHEN GeometryType(f.geom) <> 'LINESTRING' THEN NULL
         WHEN NOT COALESCE((
             SELECT ST_Covers(ST_Buffer(ST_Transform(ST_Union(ST_Intersection(sb.geom, near.box)), 25832),
                                        {LINE_SLACK_M}),
                              ST_Transform(f.geom, 25832))
             FROM (SELECT ST_Expand(f.geom, 0.001) AS box) AS near
             JOIN districts sb ON sb.level = 'stadtbezirk' AND sb.geom && near.box
         ), false) THEN 'outside'
         WHEN ST_Length(ST_Transform(f.geom, 25832)) > :line_max_m THEN 'too_long'
    END AS line_problem
"""

# The insert makes the participant's row when it is new and hands back the stored Feature,
# so a new finding costs one statement.
INSERT_SQL = f"""
    WITH p AS (
        INSERT INTO participants (id) SELECT CAST(:participant_id AS uuid)
        WHERE CAST(:participant_id AS uuid) IS NOT NULL
        ON CONFLICT (id) DO NOTHING
    ), f AS (
        INSERT INTO findings (id, walk_id, category_slug, description, geom, accuracy_m,
                              attributes, urgency, participant_id, address_string, media_url, text_moderation)
        VALUES (:id, :walk_id, :category, :description,
                ST_SetSRID(ST_GeomFromGeoJSON(:geometry), 4326), :accuracy_m,
                CAST(:attributes AS jsonb), :urgency, :participant_id, :address_string, :media_url,
                :text_moderation)
        ON CONFLICT (id) DO NOTHING
        RETURNING *
    )
    SELECT {PLACE_SQL}, {FEATURE_SQL}::text AS feature
    FROM f {JOINS_SQL}
"""


@dataclass
class NewFinding:
    """A validated request to store one finding; ``geometry`` is GeoJSON text."""

    id: uuid.UUID
    category: str
    geometry: str
    description: str | None = None
    accuracy_m: float | None = None
    walk_id: uuid.UUID | None = None
    attributes: dict = field(default_factory=dict)
    urgency: int | None = None
    participant_id: uuid.UUID | None = None
    geometry_fields: tuple[str, ...] = ("lat", "lon")
    address_string: str | None = None  # as an Open311 client sent it (text only)
    media_url: str | None = None  # ditto: kept as text, never fetched


def check_category(session: Session, category: str, walk_id: uuid.UUID | None) -> None:
    """Refuse an unknown category, an unknown walk, or a category the walk does not offer."""
    context = session.execute(text(CONTEXT_SQL), {"id": None, "category": category, "walk_id": walk_id}).one()
    _refuse_unknown(context, category, walk_id)


def _refuse_unknown(context, category: str, walk_id: uuid.UUID | None) -> None:
    errors = {}
    if not context.active:
        errors["category"] = _("Unbekannte Kategorie „%(slug)s“.", slug=category)
    if walk_id is not None:
        if not context.walk_known:
            errors["walk_id"] = _("Unbekannter Rundgang.")
        elif context.active and not context.offered:
            errors["category"] = _("Diese Kategorie gibt es bei diesem Rundgang nicht.")
    if errors:
        raise ValidationFailed(_("Der Fund verweist auf etwas, das es nicht gibt."), errors)


def place_params() -> dict:
    """The parameters PLACE_SQL needs: LINE_MAX_LENGTH_M of the running app, else the default."""
    config = current_app.config if has_app_context() else {}
    return {"line_max_m": float(config.get("LINE_MAX_LENGTH_M", Defaults.LINE_MAX_LENGTH_M))}


def refuse_misplaced(session: Session, row, geometry_fields) -> None:
    """Undo the statement that stored a finding where PLACE_SQL says it may not lie, and say why."""
    if row.line_problem == "outside":
        message = _("Die Linie reicht über Duisburg hinaus.")
    elif row.line_problem == "too_long":
        limit_km = format_decimal(place_params()["line_max_m"] / 1000)
        message = _("Die Linie ist länger als %(km)s km.", km=limit_km)
    elif row.outside:
        message = _("Dieser Ort liegt außerhalb von Duisburg.")
    else:
        return
    session.rollback()
    raise ValidationFailed(message, {name: message for name in geometry_fields})


def create_finding(session: Session, new: NewFinding) -> tuple[str, bool]:
    """Store ``new`` once; return its Feature as JSON text and whether it was created.

    A second call with the same id, also a concurrent one, stores nothing and returns
    the stored record: ``ON CONFLICT DO NOTHING`` waits for the first transaction.
    A point outside every Stadtbezirk, or a line reaching beyond them or too long, is
    refused and nothing is kept.
    """
    params = {"id": new.id, "category": new.category, "walk_id": new.walk_id}
    context = session.execute(text(CONTEXT_SQL), params).one()
    if context.taken:
        return _stored(session, new), False
    _refuse_unknown(context, new.category, new.walk_id)
    answers = attributes.validate_answers(context.questions, new.attributes)
    row = session.execute(text(INSERT_SQL), {
        **params, "description": new.description, "geometry": new.geometry, "accuracy_m": new.accuracy_m,
        "attributes": json.dumps(answers), "urgency": new.urgency, "participant_id": new.participant_id,
        "viewer": new.participant_id, "address_string": new.address_string, "media_url": new.media_url,
        **place_params(),
        "text_moderation": text_state(new.description, answers, context.questions, new.address_string, new.media_url),
    }).first()
    if row is None:  # a concurrent request with the same id stored it first
        session.commit()
        return _stored(session, new), False
    refuse_misplaced(session, row, new.geometry_fields)
    session.commit()
    return row.feature, True


def _stored(session: Session, new: NewFinding) -> str:
    session.commit()
    return feature_json(session, new.id, viewer=new.participant_id)


def feature_json(session: Session, finding_id: uuid.UUID, viewer: uuid.UUID | None = None,
                 missing_ok: bool = False) -> str | None:
    """Return one finding as a GeoJSON Feature (JSON text); ``mine`` is relative to ``viewer``."""
    result = session.execute(
        text(f"SELECT {FEATURE_SQL}::text {FROM_SQL} WHERE f.id = :id"), {"id": finding_id, "viewer": viewer}
    ).scalar()
    if result is None and not missing_ok:
        raise NotFound(_("Diesen Fund gibt es nicht."))
    return result


def feature_collection(session: Session, flt: FindingFilter, limit: int,
                       viewer: uuid.UUID | None = None) -> str:
    """Return the findings ``flt`` takes, newest first, at most ``limit``, as a FeatureCollection (JSON text)."""
    where, params = finding_filters.where_sql(flt)
    return session.execute(
        text(f"""
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'features', COALESCE(json_agg(feature ORDER BY created_at DESC), '[]'::json)
            )::text
            FROM (
                SELECT {FEATURE_SQL} AS feature, f.created_at
                {FROM_SQL}
                WHERE {where}
                ORDER BY f.created_at DESC, f.id
                LIMIT :limit
            ) AS page
        """),
        params | {"limit": limit, "viewer": viewer},
    ).scalar_one()


def point_geometry(lat: float, lon: float) -> str:
    """Return a GeoJSON Point for a latitude/longitude pair (GeoJSON is lon, lat)."""
    return json.dumps({"type": "Point", "coordinates": [lon, lat]})
