"""Filtered views summed from finding_day_cells: kept by the triggers, and exact against the findings.

Every filtered cell count is compared with the findings counted one by one (the row-level SQL
of the same filter): for date ranges (with findings a second either side of midnight in
Duisburg), statuses (also a concern's status) and walks, after inserts, status updates,
concern changes and deletes.
"""
import json
import math
import random
import uuid
from datetime import date

import pytest
from sqlalchemy import text

from mapapp.findings.filters import FindingFilter, where_sql
from mapapp.mapdata.cells import CELL_KEY_LATERAL, HALF_WORLD
from mapapp.mapdata.viewport import ViewportQuery, cell_size_m, viewport_geojson
from tests.factories import make_walk

KEY = "level, cx, cy, day, status, walk_id, category_slug, ortsteil_id, stadtbezirk_id"
DAY_CELLS = f"SELECT {KEY}, n, round(sx), round(sy) FROM finding_day_cells ORDER BY {KEY}"

# One second before and at midnight in Duisburg, in winter (CET) and summer (CEST).
MIDNIGHTS = ["2026-01-14T22:59:59Z", "2026-01-14T23:00:00Z", "2026-07-01T21:59:59Z", "2026-07-01T22:00:00Z"]

SPREAD_SQL = """
    INSERT INTO findings (id, category_slug, geom, created_at, status, walk_id)
    SELECT gen_random_uuid(), (ARRAY['litter', 'noise', 'empty_shop'])[1 + floor(random() * 3)::int],
           ST_SetSRID(ST_MakePoint(6.70 + random() * random() * 0.12, 51.40 + random() * random() * 0.08), 4326),
           timestamptz '2026-01-10 00:00+01' + random() * interval '200 days',
           (ARRAY['new', 'in_review', 'confirmed', 'resolved'])[1 + floor(random() * 4)::int],
           CASE WHEN random() < 0.4 THEN CAST(:walk AS uuid) END
    FROM generate_series(1, :n)
"""


@pytest.fixture
def spread(session):
    """300 findings over Duisburg's centre, denser to the south-west, with statuses, days and a walk;
    four of them a second either side of midnight at Bismarckplatz."""
    walk = make_walk(session)
    session.execute(text("SELECT setseed(0.14)"))
    session.execute(text(SPREAD_SQL), {"walk": walk, "n": 300})
    unseed(session)
    for moment in MIDNIGHTS:
        session.execute(text("""
            INSERT INTO findings (id, category_slug, geom, created_at, walk_id)
            VALUES (gen_random_uuid(), 'litter', ST_SetSRID(ST_MakePoint(6.7620, 51.4330), 4326), :at, :walk)
        """), {"at": moment, "walk": walk})
    session.commit()
    return walk


def unseed(session):
    """Give the pooled connection unpredictable random() again after a seeded run.

    ``setseed`` holds for the connection, not the transaction: left seeded, two connections that
    ran the same seed would make the same "random" walk join codes in later tests.
    """
    session.execute(text("SELECT setseed(:seed)"), {"seed": random.SystemRandom().uniform(-1, 1)})


def exact_cells(session, query: ViewportQuery) -> dict:
    """The view's cells counted finding by finding: {(gx, gy): {category: n}}."""
    where, params = where_sql(query.filter)
    params.update(dict(zip("wsen", query.bbox)), size=cell_size_m(query.zoom))
    rows = session.execute(text(f"""
        SELECT floor((ck.x + {HALF_WORLD}) / :size) AS gx, floor((ck.y + {HALF_WORLD}) / :size) AS gy,
               f.category_slug, count(*)
        FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id {CELL_KEY_LATERAL}
        WHERE f.geom && ST_MakeEnvelope(:w, :s, :e, :n, 4326) AND {where}
        GROUP BY 1, 2, 3
    """), params).all()
    cells: dict = {}
    for gx, gy, category, n in rows:
        cells.setdefault((int(gx), int(gy)), {})[category] = n
    return cells


def answered_cells(session, query: ViewportQuery) -> dict:
    """The view's cells as viewport_geojson answers them (cells mode forced), keyed as exact_cells."""
    body = json.loads(viewport_geojson(session, query, cells_below_zoom=20, findings_limit=0)[0])
    assert body["mode"] == "cells"
    size = cell_size_m(query.zoom)
    cells = {}
    for feature in body["features"]:
        x, y = session.execute(text(
            "SELECT ST_X(p), ST_Y(p) FROM ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), 3857) AS p"),
            dict(zip(("lon", "lat"), feature["geometry"]["coordinates"]))).one()
        cells[(int((x + HALF_WORLD) // size), int((y + HALF_WORLD) // size))] = feature["properties"]["counts"]
    assert body["total"] == sum(sum(c.values()) for c in cells.values())
    session.rollback()
    return cells


def random_queries(walk, count=24, seed=14):
    """Views at zoom 11–16 over the findings, with date, status, walk, category filters and mixes."""
    rng = random.Random(seed)
    filters = [
        FindingFilter(date_from=date(2026, 7, 2)), FindingFilter(date_to=date(2026, 7, 1)),
        FindingFilter(date_from=date(2026, 1, 15), date_to=date(2026, 1, 15)),
        FindingFilter(statuses=("confirmed",)), FindingFilter(statuses=("new", "resolved")),
        FindingFilter(walk_id=walk), FindingFilter(walk_id=walk, statuses=("in_review",), categories=("noise",)),
        FindingFilter(date_from=date(2026, 3, 1), date_to=date(2026, 5, 31), statuses=("new",)),
        FindingFilter(district="Altstadt", date_from=date(2026, 2, 1)),
    ]
    for _ in range(count):
        zoom = rng.randint(11, 16)
        width, height = 412 * 156543 / 2 ** zoom / 70_000, 839 * 156543 / 2 ** zoom / 111_000
        lon, lat = 6.70 + rng.random() * 0.12, 51.40 + rng.random() * 0.08
        yield ViewportQuery((lon - width / 2, lat - height / 2, lon + width / 2, lat + height / 2), zoom,
                            rng.choice(filters))


def assert_filtered_views_exact(session, walk):
    checked = 0
    for query in random_queries(walk):
        exact = exact_cells(session, query)
        assert answered_cells(session, query) == exact, (query.zoom, query.filter)
        checked += bool(exact)
    assert checked >= 12, "most views should hold findings"


def assert_day_cells_match_a_rebuild(session):
    kept = session.execute(text(DAY_CELLS)).all()
    session.execute(text("SELECT finding_cells_rebuild()"))
    assert session.execute(text(DAY_CELLS)).all() == kept
    session.rollback()
    return kept


def test_filtered_cells_are_the_exact_counts(session, spread):
    assert_filtered_views_exact(session, spread)


def test_midnight_in_duisburg_divides_the_days(session, spread):
    """The four findings a second either side of midnight fall on the Duisburg day they belong to."""
    bbox = (6.7600, 51.4320, 6.7640, 51.4340)

    def total(**days):
        query = ViewportQuery(bbox, 13, FindingFilter(categories=("litter",), **days))
        cells = answered_cells(session, query)
        assert cells == exact_cells(session, query)
        return sum(sum(c.values()) for c in cells.values())

    before = total()
    assert total(date_to=date(2026, 1, 14)) - total(date_to=date(2026, 1, 13)) >= 1
    assert total(date_from=date(2026, 1, 15), date_to=date(2026, 1, 15)) >= 1
    assert total(date_from=date(2026, 7, 2), date_to=date(2026, 7, 2)) >= 1
    days = session.execute(text("SELECT finding_day(created_at) FROM findings WHERE created_at = ANY(:at)"
                                " ORDER BY created_at"), {"at": MIDNIGHTS}).scalars().all()
    assert days == [date(2026, 1, 14), date(2026, 1, 15), date(2026, 7, 1), date(2026, 7, 2)]
    assert before >= 4


def test_counts_stay_exact_after_inserts_status_changes_and_deletes(session, spread):
    session.execute(text("SELECT setseed(0.5)"))
    session.execute(text(SPREAD_SQL), {"walk": spread, "n": 60})
    session.execute(text("UPDATE findings SET status = 'rejected' WHERE random() < 0.2"))
    session.execute(text("UPDATE findings SET walk_id = NULL WHERE random() < 0.1"))
    session.execute(text("UPDATE findings SET created_at = created_at - interval '40 days' WHERE random() < 0.1"))
    session.execute(text("DELETE FROM findings WHERE random() < 0.15"))
    unseed(session)
    session.commit()
    assert_day_cells_match_a_rebuild(session)
    assert_filtered_views_exact(session, spread)


def test_a_concerns_status_is_its_findings_status(session, spread):
    """Findings grouped into a concern show its status; they follow it, and return to their own
    status when it is deleted."""
    concern = uuid.uuid4()
    session.execute(text("""
        INSERT INTO concerns (id, title, category_slug, geom, status)
        VALUES (:id, 'Müll', 'litter', ST_SetSRID(ST_MakePoint(6.7620, 51.4330), 4326), 'in_review')
    """), {"id": concern})
    session.execute(text("UPDATE findings SET concern_id = :c WHERE category_slug = 'litter' AND random() < 0.5"),
                    {"c": concern})
    session.commit()
    assert_day_cells_match_a_rebuild(session)
    session.execute(text("UPDATE concerns SET status = 'handed_over' WHERE id = :c"), {"c": concern})
    session.commit()
    kept = assert_day_cells_match_a_rebuild(session)
    assert any(row.status == "handed_over" for row in kept)
    assert_filtered_views_exact(session, spread)
    session.execute(text("DELETE FROM concerns WHERE id = :c"), {"c": concern})
    session.commit()
    kept = assert_day_cells_match_a_rebuild(session)
    assert not any(row.status == "handed_over" for row in kept)
    assert_filtered_views_exact(session, spread)


def test_both_levels_hold_every_finding(session, spread):
    totals = dict(session.execute(text("SELECT level, sum(n) FROM finding_day_cells GROUP BY level")).all())
    findings = session.execute(text("SELECT count(*) FROM findings")).scalar()
    assert totals == {0: findings, 3: findings}


def test_truncate_empties_the_day_cells(session, spread):
    session.execute(text("TRUNCATE findings CASCADE"))
    session.commit()
    assert session.execute(text("SELECT count(*) FROM finding_day_cells")).scalar() == 0


@pytest.mark.parametrize("zoom, level", [(12, 3), (15, 0)])
def test_filtered_views_are_summed_from_the_day_cells(session, spread, zoom, level):
    """The answer comes from the table (a count changed there shows), coarse cells zoomed out."""
    bbox = (6.60, 51.35, 6.90, 51.55) if zoom == 12 else (6.755, 51.428, 6.770, 51.438)
    query = ViewportQuery(bbox, zoom, FindingFilter(statuses=("new", "in_review", "confirmed", "resolved")))

    def total():
        return json.loads(viewport_geojson(session, query, cells_below_zoom=20, findings_limit=0)[0])["total"]

    honest = total()
    assert honest == sum(sum(c.values()) for c in exact_cells(session, query).values())
    session.execute(text("UPDATE finding_day_cells SET n = n + 1000 WHERE level = :level"), {"level": level})
    assert total() - honest >= 1000
    session.rollback()


@pytest.mark.parametrize("z", [10, 12, 14])
def test_filtered_tiles_count_exactly(session, spread, z):
    """Vector tiles filtered by dates, status or walk sum the day cells (coarse ones zoomed out)."""
    import mapbox_vector_tile

    from mapapp.mapdata.vector_tiles import mvt_tile

    x, y = (int((6.76 + 180) / 360 * 2 ** z),
            int((1 - math.asinh(math.tan(math.radians(51.43))) / math.pi) / 2 * 2 ** z))
    filters = (FindingFilter(date_from=date(2026, 3, 1), statuses=("new", "confirmed")), FindingFilter(walk_id=spread))
    for flt in filters:
        tile = mapbox_vector_tile.decode(mvt_tile(session, z, x, y, ViewportQuery((0, 0, 0, 0), z, flt)))
        session.rollback()
        where, params = where_sql(flt)
        exact = session.execute(text(f"""
            SELECT count(*) FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id
            WHERE ST_Intersects(ST_Transform(ST_PointOnSurface(f.geom), 3857), ST_TileEnvelope(:z, :x, :y))
              AND {where}"""), params | {"z": z, "x": x, "y": y}).scalar()
        counted = sum(f["properties"]["count"] for f in tile.get("findings", {}).get("features", []))
        assert counted == exact > 0
