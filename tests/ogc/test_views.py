"""The public views (migration 0009): only public columns, and a bbox still uses the GiST indexes."""
import pytest
from sqlalchemy import text

VIEWS = {
    "public_findings": "findings", "public_findings_text": "findings",
    "public_concerns": "concerns", "public_concerns_text": "concerns",
    "public_walks": "walks", "public_walk_routes": "walks", "public_districts": "districts",
}
PERSONAL = {"participant_id", "nickname", "join_code", "created_by_id", "note", "password_hash", "username"}
FREE_TEXT = {"description", "title", "summary"}


def columns(session, view: str) -> set[str]:
    return set(session.execute(text(
        "SELECT column_name FROM information_schema.columns WHERE table_name = :view"), {"view": view}).scalars())


def test_views_hold_no_personal_column_and_free_text_only_in_the_text_variants(session):
    for view in VIEWS:
        found = columns(session, view)
        assert {"id", "geom"} <= found, view
        assert not found & PERSONAL, view
    assert not columns(session, "public_findings") & FREE_TEXT
    assert not columns(session, "public_concerns") & FREE_TEXT
    assert "public_message" in columns(session, "public_concerns")
    assert {"description"} <= columns(session, "public_findings_text")
    assert {"title", "summary"} <= columns(session, "public_concerns_text")


SEED = """
INSERT INTO findings (id, category_slug, geom)
SELECT gen_random_uuid(), 'noise', ST_SetSRID(ST_MakePoint(6.65 + random() * 0.2, 51.35 + random() * 0.2), 4326)
FROM generate_series(1, 3000);
INSERT INTO concerns (id, title, category_slug, geom)
SELECT gen_random_uuid(), 'Anliegen', 'noise', ST_SetSRID(ST_MakePoint(6.65 + random() * 0.2, 51.35 + random() * 0.2), 4326)
FROM generate_series(1, 3000);
INSERT INTO walks (id, title, meeting_point, route)
SELECT gen_random_uuid(), 'Begehung', ST_SetSRID(ST_MakePoint(x, y), 4326),
       ST_SetSRID(ST_MakeLine(ST_MakePoint(x, y), ST_MakePoint(x + 0.002, y + 0.001)), 4326)
FROM (SELECT 6.65 + random() * 0.2 AS x, 51.35 + random() * 0.2 AS y FROM generate_series(1, 3000)) AS p;
ANALYZE findings; ANALYZE concerns; ANALYZE walks; ANALYZE districts; ANALYZE categories
"""
STREET = "ST_MakeEnvelope(6.699, 51.456, 6.701, 51.457, 4326)"


@pytest.mark.parametrize("view, table", sorted(VIEWS.items()))
def test_a_bbox_on_a_view_uses_the_tables_gist_index(session, view, table):
    """With thousands of rows (analysed) a street-sized bbox on the view is answered through the GiST index.

    An empty, never analysed table leaves the planner free to walk another index (seen: the category
    index), so the test gives it the data a real map has before reading the plan.
    """
    try:
        for statement in SEED.split(";"):
            session.execute(text(statement))
        session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(session.execute(text(
            f"EXPLAIN SELECT id FROM {view} WHERE ST_Intersects({STREET}, geom)")).scalars())
    finally:
        session.rollback()
        session.execute(text("ANALYZE findings; ANALYZE concerns; ANALYZE walks"))
        session.commit()
    assert f"idx_{table}_" in plan and "Seq Scan" not in plan, plan
