"""The trigger keeps finding_cells equal to a rebuild from the findings, through insert, update, delete."""
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, HAUPTBAHNHOF, make_finding

CELLS = ("SELECT cx, cy, category_slug, ortsteil_id, stadtbezirk_id, n, round(sx), round(sy)"
         " FROM finding_cells ORDER BY 1, 2, 3, 4, 5")


def assert_cells_match_a_rebuild(session):
    kept = session.execute(text(CELLS)).all()
    session.execute(text("SELECT finding_cells_rebuild()"))
    assert session.execute(text(CELLS)).all() == kept
    session.rollback()
    return kept


def test_trigger_keeps_the_cells(session, places):
    kept = assert_cells_match_a_rebuild(session)
    assert sum(row.n for row in kept) == 6
    session.execute(text("UPDATE findings SET category_slug = 'barrier' WHERE id = :id"), {"id": places["noise"]})
    session.execute(text("UPDATE findings SET geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) WHERE id = :id"),
                    {"id": places["shop1"], "lat": HAUPTBAHNHOF[0], "lon": HAUPTBAHNHOF[1]})
    session.execute(text("DELETE FROM findings WHERE id = :id"), {"id": places["litter1"]})
    line = '{"type": "LineString", "coordinates": [[6.6995, 51.4565], [6.7005, 51.4570]]}'
    make_finding(session, *BISMARCKPLATZ, category="cycle_path", geometry=line)
    session.commit()
    kept = assert_cells_match_a_rebuild(session)
    assert sum(row.n for row in kept) == 6
    assert {row.category_slug for row in kept} >= {"barrier", "cycle_path"}


def test_truncate_empties_the_cells(session, places):
    session.execute(text("TRUNCATE findings CASCADE"))
    session.commit()
    assert session.execute(text("SELECT count(*) FROM finding_cells")).scalar() == 0


def test_the_inline_cell_key_is_the_database_function(session, places):
    """mapapp/mapdata/cells.py writes finding_cell_key out for the planner; both must place a finding alike."""
    from mapapp.mapdata.cells import CELL_KEY_LATERAL

    rows = session.execute(text(f"""
        SELECT ck.cx, ck.cy, round(ck.x::numeric, 6), round(ck.y::numeric, 6),
               (k).cx, (k).cy, round((k).x::numeric, 6), round((k).y::numeric, 6)
        FROM (SELECT f.*, finding_cell_key(f.geom) AS k FROM findings f) AS f {CELL_KEY_LATERAL}
    """)).all()
    assert len(rows) == 6
    assert all(tuple(row[:4]) == tuple(row[4:]) for row in rows)
