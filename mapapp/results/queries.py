"""What a walk's public results show, read in SQL: counts, the map's GeoJSON, concerns, photos,
the published walks. No Flask here.

Only what the public may see leaves these functions: a finding's pin (category, place, status)
always, its free text and photos as :mod:`mapapp.moderation.visibility` decides, of a concern
its title, status and public message (never a note of its trail; see
:mod:`mapapp.follow.updates` for its public updates), and no participant, nickname or account.
"""
from __future__ import annotations

import json
import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import NotFound
from mapapp.moderation.visibility import photo_is_public_sql, public_photos_json_sql, public_text_sql
from mapapp.statuses import CONCERN_STATUSES

PHOTOS_SHOWN = 6


def publication(session: Session, join_code: str) -> dict:
    """The walk's id, when its results were published (None: not yet) and its route's length in metres.

    Raises NotFound for an unknown join code.
    """
    row = session.execute(text("""
        SELECT w.id, w.results_published_at AS published_at,
               round(ST_Length(w.route::geography))::int AS route_length_m
        FROM walks w WHERE w.join_code = :code
    """), {"code": join_code}).mappings().first()
    if row is None:
        raise NotFound(f"no walk '{join_code}'")
    return dict(row)


def counts(session: Session, walk_id: uuid.UUID) -> dict:
    """The walk's findings counted: in all, by category (most first) and by Ortsteil, and its concerns.

    ``{"findings", "participants", "concerns", "resolved", "by_category": [{slug, label_de,
    label_en, icon, count}], "by_ortsteil": [{code, name, count}]}``; a finding outside every
    Ortsteil counts under ``code`` and ``name`` None.
    """
    return session.execute(text("""
        WITH walk_findings AS (SELECT * FROM findings WHERE walk_id = :walk)
        SELECT json_build_object(
            'findings', (SELECT count(*) FROM walk_findings),
            'participants', (SELECT count(DISTINCT participant_id) FROM walk_findings),
            'concerns', (SELECT count(DISTINCT concern_id) FROM walk_findings),
            'resolved', (SELECT count(*) FROM concerns k WHERE k.status = 'resolved'
                         AND k.id IN (SELECT concern_id FROM walk_findings)),
            'by_category', (
                SELECT COALESCE(json_agg(json_build_object(
                    'slug', c.slug, 'label_de', c.label_de, 'label_en', c.label_en, 'icon', c.icon,
                    'count', n.count) ORDER BY n.count DESC, c.sort, c.slug), '[]'::json)
                FROM (SELECT category_slug, count(*) FROM walk_findings GROUP BY category_slug) n
                JOIN categories c ON c.slug = n.category_slug),
            'by_ortsteil', (
                SELECT COALESCE(json_agg(json_build_object('code', o.code, 'name', o.name, 'count', n.count)
                                         ORDER BY n.count DESC, o.name NULLS LAST), '[]'::json)
                FROM (SELECT ortsteil_id, count(*) FROM walk_findings GROUP BY ortsteil_id) n
                LEFT JOIN districts o ON o.id = n.ortsteil_id)
        )
    """), {"walk": walk_id}).scalar()


def findings_geojson(session: Session, walk_id: uuid.UUID, labels: dict[str, str]) -> str:
    """The walk's findings as GeoJSON text for the public map, oldest first.

    Each Feature's properties are what the map's pins and popups read (static/js/shared/popup.js):
    category (``category_label`` from ``labels``, slug → label in the reader's language), icon,
    status, the public text and photos, the concern's public message, Ortsteil and Stadtbezirk.
    """
    return session.execute(text(f"""
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
            'type', 'Feature', 'id', f.id,
            'geometry', ST_AsGeoJSON(f.geom, 6)::json,
            'properties', json_build_object(
                'id', f.id, 'category', f.category_slug,
                'category_label', COALESCE(CAST(:labels AS jsonb) ->> f.category_slug, c.label_de),
                'icon', c.icon, 'status', COALESCE(k.status, f.status),
                'description', {public_text_sql('f')}, 'photos', {public_photos_json_sql('f')},
                'public_message', k.public_message, 'ortsteil', o.name, 'stadtbezirk', s.name,
                'created_at', f.created_at)
        ) ORDER BY f.created_at, f.id), '[]'::json))::text
        FROM findings f
        JOIN categories c ON c.slug = f.category_slug
        LEFT JOIN concerns k ON k.id = f.concern_id
        LEFT JOIN districts o ON o.id = f.ortsteil_id
        LEFT JOIN districts s ON s.id = f.stadtbezirk_id
        WHERE f.walk_id = :walk
    """), {"walk": walk_id, "labels": json.dumps(labels)}).scalar()


def concerns(session: Session, walk_id: uuid.UUID) -> list[dict]:
    """The concerns the walk's findings were grouped into, in workflow order, then by title.

    Each: ``id, title, status, category (slug), label_de, label_en, icon, public_message,
    public_message_at, ortsteil, findings`` (how many of this walk's findings it holds).
    """
    rows = session.execute(text("""
        SELECT k.id, k.title, k.status, k.category_slug AS category, c.label_de, c.label_en, c.icon,
               k.public_message, k.public_message_at, o.name AS ortsteil, n.findings
        FROM (SELECT concern_id, count(*) AS findings FROM findings
              WHERE walk_id = :walk AND concern_id IS NOT NULL GROUP BY concern_id) n
        JOIN concerns k ON k.id = n.concern_id
        JOIN categories c ON c.slug = k.category_slug
        LEFT JOIN districts o ON o.id = k.ortsteil_id
        ORDER BY array_position(CAST(:statuses AS text[]), k.status), k.title, k.id
    """), {"walk": walk_id, "statuses": list(CONCERN_STATUSES)}).mappings()
    return [{**row, "id": str(row["id"])} for row in rows]


def photos(session: Session, walk_id: uuid.UUID, limit: int = PHOTOS_SHOWN) -> list[dict]:
    """Photos for the results page: the featured ones the public may see; without any, the first
    public photos of the walk. At most ``limit``; each ``id, stored_sha256, width, height, featured,
    category, label_de, label_en``."""
    rows = session.execute(text(f"""
        WITH public AS (
            SELECT p.id, p.stored_sha256, p.width, p.height, p.featured, f.category_slug AS category,
                   c.label_de, c.label_en, f.created_at AS found_at, p.position, p.created_at
            FROM photos p
            JOIN findings f ON f.id = p.finding_id
            JOIN categories c ON c.slug = f.category_slug
            WHERE f.walk_id = :walk AND {photo_is_public_sql('p')}
        )
        SELECT id, stored_sha256, width, height, featured, category, label_de, label_en FROM public
        WHERE featured OR NOT EXISTS (SELECT 1 FROM public WHERE featured)
        ORDER BY featured DESC, found_at, position, created_at
        LIMIT :limit
    """), {"walk": walk_id, "limit": limit}).mappings()
    return [dict(row) for row in rows]


def featured_among(session: Session, photo_ids: list[str]) -> set[str]:
    """The ids (text) of those of ``photo_ids`` that are featured."""
    if not photo_ids:
        return set()
    rows = session.execute(text("SELECT id FROM photos WHERE featured AND id = ANY(CAST(:ids AS uuid[]))"),
                           {"ids": [str(i) for i in photo_ids]})
    return {str(row.id) for row in rows}


def published_walks(session: Session) -> list[dict]:
    """The walks whose results are public, newest first, with their counts.

    Each: ``id, title, join_code, starts_at, ends_at, published_at, ortsteil, stadtbezirk,
    findings, concerns, resolved``.
    """
    rows = session.execute(text("""
        SELECT w.id, w.title, w.join_code, w.starts_at, w.ends_at, w.results_published_at AS published_at,
               ot.name AS ortsteil, sb.name AS stadtbezirk,
               (SELECT count(*) FROM findings f WHERE f.walk_id = w.id) AS findings,
               (SELECT count(DISTINCT f.concern_id) FROM findings f WHERE f.walk_id = w.id) AS concerns,
               (SELECT count(*) FROM concerns k WHERE k.status = 'resolved'
                AND k.id IN (SELECT f.concern_id FROM findings f WHERE f.walk_id = w.id)) AS resolved
        FROM walks w
        LEFT JOIN districts ot ON ot.id = w.ortsteil_id
        LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id
        WHERE w.results_published_at IS NOT NULL
        ORDER BY COALESCE(w.starts_at, w.results_published_at) DESC, w.title, w.id
    """)).mappings()
    return [{**row, "id": str(row["id"])} for row in rows]


def set_published(session: Session, walk_id: uuid.UUID, published: bool):
    """Publish the walk's results (keeping the first publication's time) or withdraw them.

    Returns the publication time (None once withdrawn); raises NotFound for an unknown walk.
    """
    row = session.execute(text("""
        UPDATE walks SET results_published_at = CASE WHEN :published
                                                    THEN COALESCE(results_published_at, now()) END
        WHERE id = :id RETURNING results_published_at
    """), {"id": walk_id, "published": published}).first()
    if row is None:
        session.rollback()
        raise NotFound(f"no walk '{walk_id}'")
    session.commit()
    return row.results_published_at
