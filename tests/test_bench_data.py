"""The benchmark's synthetic loader (bench/data.py) on the test database, with a small N."""
from sqlalchemy import text

from bench import data


def test_synthetic_findings_lie_in_duisburg_around_its_hotspots(session):
    data.load(session, 200)

    counts = session.execute(text("""
        SELECT count(*) AS n, count(stadtbezirk_id) AS placed, count(DISTINCT category_slug) AS categories,
               count(*) FILTER (WHERE walk_id IS NOT NULL) AS sampled
        FROM findings WHERE description LIKE 'Synthetischer Fund %'
    """)).one()
    assert counts.n == 200
    assert counts.placed == 200, "every synthetic point must lie inside a Stadtbezirk"
    assert counts.categories > 1
    assert counts.sampled == 200, "with N below the sample size the sample walk holds every finding"

    near = session.execute(text("""
        SELECT count(*) FROM findings f
        WHERE EXISTS (SELECT 1 FROM unnest(CAST(:lat AS float8[]), CAST(:lon AS float8[])) AS h(lat, lon)
                      WHERE ST_DWithin(f.geom::geography, ST_MakePoint(h.lon, h.lat)::geography, 2000))
    """), {"lat": [h[1] for h in data.HOTSPOTS], "lon": [h[2] for h in data.HOTSPOTS]}).scalar()
    assert near >= 100, "most findings gather around the named hotspots"


def test_cell_counts_match_the_loaded_findings(session):
    data.load(session, 200)

    cells = session.execute(text("SELECT COALESCE(sum(n), 0) FROM finding_cells")).scalar()
    assert cells == 200, "the bulk load rebuilds the viewport's cell counts"
