"""The benchmark's database: created, migrated and filled with N synthetic findings.

Findings cluster the way walks produce them: most around Duisburg's busy places (the
named hotspots below, a few hundred metres wide), some as tight groups of a few reports
of the same thing (tens of metres), the rest anywhere in the city. Every point lies
inside a Stadtbezirk, so the districts trigger assigns each one. All of it is SQL.
"""
from __future__ import annotations

import os
import time

import psycopg
from sqlalchemy import text

from mapapp.devtools import embedded_pg
from mapapp.config import normalise_database_url

DATABASE = "mapapp_bench"
SYNTHETIC = "Synthetischer Fund"
SAMPLE_WALK = "Bench-Stichprobe"  # the walk holding the sample that clustering and exports work on
SAMPLE_SIZE = 100_000
PAGE_WALK = "Bench-Rundgang Innenstadt"  # a walk of ordinary size for the walk map's Lighthouse and offline runs
PAGE_WALK_FINDINGS = 120

# (name, lat, lon, weight, spread in metres)
HOTSPOTS = [
    ("Innenstadt", 51.4330, 6.7620, 6, 700),
    ("Homberg", 51.4565, 6.6995, 4, 600),
    ("Rheinhausen", 51.3990, 6.7050, 4, 700),
    ("Buchholz", 51.3820, 6.7640, 3, 500),
    ("Hamborn", 51.4940, 6.7720, 3, 600),
    ("Marxloh", 51.5020, 6.7850, 3, 450),
    ("Meiderich", 51.4660, 6.7780, 3, 550),
    ("Hochfeld", 51.4190, 6.7560, 2, 450),
    ("Neudorf", 51.4270, 6.7850, 2, 500),
    ("Walsum", 51.5290, 6.7420, 2, 600),
    ("Huckingen", 51.3570, 6.7590, 1, 500),
    ("Ruhrort", 51.4550, 6.7370, 1, 350),
]

AREA_SQL = """
    DROP TABLE IF EXISTS bench_area;
    CREATE TABLE bench_area AS
        SELECT ST_Subdivide(ST_Union(geom), 64) AS geom FROM districts WHERE level = 'stadtbezirk';
    CREATE INDEX ON bench_area USING gist (geom);
    ANALYZE bench_area;
"""

# Candidates are drawn generously (1.4×) and those outside the city dropped; a second
# pass tops up the rare shortfall.
LOAD_SQL = """
    WITH spots AS (
        SELECT array_agg(lat) AS lat, array_agg(lon) AS lon, array_agg(spread) AS spread,
               array_agg(sum_w) AS cum, max(sum_w) AS total
        FROM (SELECT lat, lon, spread, sum(weight) OVER (ORDER BY ord) AS sum_w
              FROM unnest(CAST(:lat AS float8[]), CAST(:lon AS float8[]), CAST(:weight AS float8[]),
                          CAST(:spread AS float8[])) WITH ORDINALITY AS h(lat, lon, weight, spread, ord)) AS w
    ),
    extent AS (SELECT ST_XMin(e) AS w, ST_XMax(e) AS e, ST_YMin(e) AS s, ST_YMax(e) AS n
               FROM (SELECT ST_Extent(geom)::geometry AS e FROM bench_area) AS x),
    groups AS (  -- tight groups: several people reporting the same thing
        SELECT array_agg(ex.w + random() * (ex.e - ex.w)) AS lon, array_agg(ex.s + random() * (ex.n - ex.s)) AS lat
        FROM extent ex, generate_series(1, :groups)
    ),
    cats AS (SELECT array_agg(slug ORDER BY sort, slug) AS slugs FROM categories WHERE active),
    people AS (SELECT array_agg(id) AS ids FROM participants),
    draw AS (
        SELECT i, random() AS kind, random() * spots.total AS pick, 1 + floor(random() * :groups)::int AS g,
               sqrt(-2 * ln(1 - random())) AS r, 2 * pi() * random() AS phi
        FROM generate_series(1, :candidates) AS i, spots
    ),
    placed AS (
        SELECT d.i, CASE
            WHEN d.kind < :share_spots THEN (
                SELECT ST_SetSRID(ST_MakePoint(
                    spots.lon[k] + d.r * cos(d.phi) * spots.spread[k] / (111320 * cos(radians(spots.lat[k]))),
                    spots.lat[k] + d.r * sin(d.phi) * spots.spread[k] / 111320), 4326)
                FROM (SELECT min(k) AS k FROM generate_subscripts(spots.cum, 1) AS k
                      WHERE spots.cum[k] >= d.pick) AS chosen)
            WHEN d.kind < :share_spots + :share_groups THEN ST_SetSRID(ST_MakePoint(
                groups.lon[d.g] + d.r * cos(d.phi) * 20 / (111320 * cos(radians(groups.lat[d.g]))),
                groups.lat[d.g] + d.r * sin(d.phi) * 20 / 111320), 4326)
            ELSE ST_SetSRID(ST_MakePoint(ex.w + random() * (ex.e - ex.w), ex.s + random() * (ex.n - ex.s)), 4326)
        END AS geom
        FROM draw d, spots, groups, extent ex
    )
    INSERT INTO findings (id, category_slug, geom, participant_id, created_at, description, accuracy_m, status)
    SELECT gen_random_uuid(), cats.slugs[1 + floor(random() * cardinality(cats.slugs))::int], p.geom,
           people.ids[1 + floor(random() * cardinality(people.ids))::int],
           now() - random() * interval '90 days', :synthetic || ' ' || p.i, round((3 + random() * 20)::numeric, 1),
           {status}
    FROM placed p, cats, people
    WHERE EXISTS (SELECT 1 FROM bench_area a WHERE ST_Intersects(a.geom, p.geom))
    LIMIT :n
"""

# Statuses as a city's findings have them: most still new, fewer the further along the workflow.
STATUS_SQL = """(ARRAY['new', 'new', 'new', 'in_review', 'in_review', 'confirmed', 'handed_over', 'resolved',
                'resolved', 'rejected'])[1 + floor(random() * 10)::int]"""
LOAD_SQL = LOAD_SQL.replace("{status}", STATUS_SQL)

CONFIRMATIONS_SQL = """
    INSERT INTO confirmations (finding_id, participant_id)
    SELECT id, voter FROM (
        SELECT f.id, f.participant_id, people.ids[1 + floor(random() * cardinality(people.ids))::int] AS voter
        FROM findings f, (SELECT array_agg(id) AS ids FROM participants) AS people
        WHERE random() < 0.1
    ) AS votes
    WHERE voter IS DISTINCT FROM participant_id
    ON CONFLICT DO NOTHING
"""

# A random sample of (at most) 100,000 findings becomes one walk, so clustering and exports
# can select exactly that many through their ordinary walk filter.
SAMPLE_SQL = """
    WITH walk AS (INSERT INTO walks (id, title, topic) VALUES (gen_random_uuid(), :title, 'Benchmark') RETURNING id)
    UPDATE findings f SET walk_id = walk.id
    FROM walk, (SELECT id FROM findings ORDER BY random() LIMIT :size) AS pick
    WHERE f.id = pick.id
"""


# Its findings lie around the meeting point (Sonnenwall), as a walk's do; created on the walk's day.
PAGE_WALK_SQL = """
    WITH walk AS (
        INSERT INTO walks (id, title, topic, starts_at, meeting_point, meeting_point_name)
        VALUES (gen_random_uuid(), %(title)s, 'Benchmark', now() - interval '1 day',
                ST_SetSRID(ST_MakePoint(6.7620, 51.4330), 4326), 'Sonnenwall')
        RETURNING id, starts_at
    ), cats AS (SELECT array_agg(slug ORDER BY sort, slug) AS slugs FROM categories WHERE active)
    INSERT INTO findings (id, walk_id, category_slug, geom, created_at, description, accuracy_m)
    SELECT gen_random_uuid(), walk.id, cats.slugs[1 + mod(i, cardinality(cats.slugs))],
           ST_SetSRID(ST_MakePoint(6.7620 + (random() - 0.5) * 0.012, 51.4330 + (random() - 0.5) * 0.008), 4326),
           walk.starts_at + i * interval '1 minute', 'Rundgang ' || i, 8
    FROM walk, cats, generate_series(1, %(n)s) AS i
"""


def page_walk_code(url: str) -> str:
    """The join code of the walk the walk-map measurements open (created on first use)."""
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute("SELECT join_code FROM walks WHERE title = %s", (PAGE_WALK,)).fetchone()
        if row is None:
            conn.execute(PAGE_WALK_SQL, {"title": PAGE_WALK, "n": PAGE_WALK_FINDINGS})
            row = conn.execute("SELECT join_code FROM walks WHERE title = %s", (PAGE_WALK,)).fetchone()
    return row[0]


def sample_walk_id(url: str) -> str:
    """The id of the walk holding the sample."""
    with psycopg.connect(libpq_url(url)) as conn:
        return str(conn.execute("SELECT id FROM walks WHERE title = %s", (SAMPLE_WALK,)).fetchone()[0])


def database_url(name: str = DATABASE) -> str:
    """The benchmark database's SQLAlchemy URL: ``BENCH_DATABASE_URL``'s server or the embedded one."""
    base = os.environ.get("BENCH_DATABASE_URL")
    if base:
        return normalise_database_url(base).rsplit("/", 1)[0] + f"/{name}"
    return embedded_pg.ensure().url(name)


def libpq_url(url: str, database: str | None = None) -> str:
    """A plain ``postgresql://`` URL (for psycopg, ogr2ogr, pygeoapi), optionally for another database."""
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    return plain.rsplit("/", 1)[0] + f"/{database}" if database else plain


def recreate(url: str) -> None:
    """Drop and create the database in ``url`` (only ever the benchmark's own)."""
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(libpq_url(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def loaded_count(url: str) -> int | None:
    """How many synthetic findings the database holds, or None when it is missing or empty."""
    try:
        with psycopg.connect(libpq_url(url), connect_timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM findings WHERE description LIKE %s",
                                (SYNTHETIC + " %",)).fetchone()[0]
    except psycopg.Error:
        return None


def load(session, n: int) -> float:
    """Participants, N findings inside Duisburg and +1s on about one in ten; return seconds taken."""
    started = time.perf_counter()
    session.execute(text(AREA_SQL))
    session.execute(text("INSERT INTO participants (id) SELECT gen_random_uuid() FROM generate_series(1, :n)"),
                    {"n": max(n // 20, 1)})
    params = {
        "lat": [h[1] for h in HOTSPOTS], "lon": [h[2] for h in HOTSPOTS],
        "weight": [float(h[3]) for h in HOTSPOTS], "spread": [float(h[4]) for h in HOTSPOTS],
        "groups": max(n // 200, 1), "share_spots": 0.55, "share_groups": 0.2, "synthetic": SYNTHETIC,
    }
    cells = session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'findings_maintain_cells')")).scalar()
    if cells:  # a bulk load: the per-row cell counts are rebuilt once afterwards, as after a restore
        session.execute(text("ALTER TABLE findings DISABLE TRIGGER findings_maintain_cells"))
    stored = 0
    while stored < n:
        missing = n - stored
        params.update(n=missing, candidates=int(missing * 1.4) + 10)
        stored += session.execute(text(LOAD_SQL), params).rowcount
    if cells:
        session.execute(text("ALTER TABLE findings ENABLE TRIGGER findings_maintain_cells"))
        session.execute(text("SELECT finding_cells_rebuild()"))
    session.execute(text(CONFIRMATIONS_SQL))
    session.execute(text(SAMPLE_SQL), {"title": SAMPLE_WALK, "size": SAMPLE_SIZE})
    session.execute(text("DROP TABLE bench_area"))
    session.commit()
    session.execute(text("ANALYZE"))
    session.commit()
    return time.perf_counter() - started


def prepare(n: int, keep: bool) -> tuple[str, bool]:
    """Return the database URL, loading N findings unless ``keep`` and it already holds them.

    The second value tells whether the data was reused.
    """
    from flask_migrate import upgrade

    from mapapp import create_app
    from mapapp.districts import boundaries as districts
    from mapapp.db import db

    url = database_url()
    if keep and loaded_count(url) == n:
        clear_ingested(url)
        catch_up(url)
        return url, True
    recreate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TILE_URL": ""})
    with app.app_context():
        upgrade()
        districts.load_default(db.session)
        print(f"loading {n:,} synthetic findings …", flush=True)
        seconds = load(db.session, n)
        print(f"loaded in {seconds:.1f} s", flush=True)
        db.engine.dispose()
    return url, False


def catch_up(url: str) -> None:
    """A kept database gets statuses if it has none yet, and the migrations since it was loaded
    (the cell tables are rebuilt once: by migration 0013, or afterwards)."""
    from flask_migrate import upgrade

    from mapapp import create_app
    from mapapp.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TILE_URL": ""})
    with app.app_context():
        session = db.session
        updated = not session.execute(text("SELECT EXISTS (SELECT 1 FROM findings WHERE status <> 'new')")).scalar()
        if updated:
            print("giving the synthetic findings statuses …", flush=True)
            session.execute(text("ALTER TABLE findings DISABLE TRIGGER findings_maintain_cells"))
            session.execute(text(f"UPDATE findings SET status = {STATUS_SQL}"))
            session.execute(text("ALTER TABLE findings ENABLE TRIGGER findings_maintain_cells"))
            session.commit()
        rebuilds = session.execute(text("SELECT to_regclass('finding_day_cells') IS NULL")).scalar()
        session.commit()
        upgrade()
        if updated and not rebuilds:
            session.execute(text("SELECT finding_cells_rebuild()"))
            session.commit()
        db.engine.dispose()
    if updated:
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE findings")
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute("ANALYZE finding_day_cells")


def clear_ingested(url: str) -> None:
    """Remove what an earlier run's ingest stored, so counts start from the synthetic N."""
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute("DELETE FROM findings WHERE description LIKE 'Bench ingest %'")
