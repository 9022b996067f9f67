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


@pytest.mark.parametrize("view, table", sorted(VIEWS.items()))
def test_a_bbox_on_a_view_uses_the_tables_gist_index(session, view, table):
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(session.execute(text(
        f"EXPLAIN SELECT id FROM {view} WHERE ST_Intersects(ST_MakeEnvelope(6.6, 51.3, 6.9, 51.6, 4326), geom)"
    )).scalars())
    session.rollback()
    assert f"idx_{table}_" in plan and "Seq Scan" not in plan, plan
