"""The categories a finding can have (seeded by the first migration)."""
from sqlalchemy import text
from sqlalchemy.orm import Session


def list_categories(session: Session) -> list[dict]:
    """Return the active categories in display order."""
    rows = session.execute(text("""
        SELECT slug, label_de, label_en, icon, sort FROM categories
        WHERE active ORDER BY sort, slug
    """)).mappings()
    return [dict(row) for row in rows]
