"""The categories a finding can have (seeded by the migrations), with their questions."""
from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session


def list_categories(session: Session, walk_id: uuid.UUID | None = None) -> list[dict]:
    """Return the active categories in display order, each with its questions.

    With ``walk_id``, only those the walk offers (a walk that lists none offers all).
    """
    rows = session.execute(text("""
        SELECT c.slug, c.label_de, c.label_en, c.icon, c.sort,
               COALESCE((
                   SELECT json_agg(json_build_object(
                       'code', a.code, 'datatype', a.datatype, 'required', a.required,
                       'label_de', a.label_de, 'label_en', a.label_en, 'order', a."order",
                       'values', a.values) ORDER BY a."order", a.code)
                   FROM category_attributes a WHERE a.category_slug = c.slug
               ), '[]'::json) AS attributes
        FROM categories c
        WHERE c.active AND (
            CAST(:walk_id AS uuid) IS NULL
            OR NOT EXISTS (SELECT 1 FROM walk_categories wc WHERE wc.walk_id = :walk_id)
            OR c.slug IN (SELECT wc.category_slug FROM walk_categories wc WHERE wc.walk_id = :walk_id)
        )
        ORDER BY c.sort, c.slug
    """), {"walk_id": walk_id}).mappings()
    return [dict(row) for row in rows]


def offered_by_walk(session: Session, walk_id: uuid.UUID, category: str) -> bool:
    """Return whether the walk offers ``category``."""
    return bool(session.execute(text("""
        SELECT NOT EXISTS (SELECT 1 FROM walk_categories WHERE walk_id = :walk_id)
            OR EXISTS (SELECT 1 FROM walk_categories WHERE walk_id = :walk_id AND category_slug = :slug)
    """), {"walk_id": walk_id, "slug": category}).scalar())
