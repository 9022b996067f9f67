"""How fast the review's clusters are: ``find_clusters`` against the bare ``ST_ClusterDBSCAN``.

    .venv/bin/python bench/clusters.py [--n 100000] [--eps 40] [--min 2] [--keep]

Creates the database ``mapapp_bench`` (dropped first) on the embedded cluster, or on the
server in ``BENCH_DATABASE_URL`` (its database name is replaced), migrates it, loads N
synthetic findings spread over Duisburg — most around hotspots, the rest anywhere — with
participants and +1s, and prints the best of three runs of each query. Not a test: it
asserts nothing, it measures.
"""
from __future__ import annotations

import argparse
import os
import sys
import time

import psycopg
from sqlalchemy import text

from mapapp import create_app, districts, embedded_pg
from mapapp.config import normalise_database_url
from mapapp.db import db
from mapapp.review.clusters import find_clusters

DATABASE = "mapapp_bench"
# Duisburg's extent, roughly; points outside every Stadtbezirk simply get no district.
WEST, EAST, SOUTH, NORTH = 6.63, 6.83, 51.34, 51.56

LOAD_SQL = """
    WITH hot AS (
        SELECT array_agg(:west + random() * (:east - :west)) AS lon,
               array_agg(:south + random() * (:north - :south)) AS lat
        FROM generate_series(1, :hotspots)
    ),
    people AS (SELECT array_agg(id) AS ids FROM participants),
    draw AS (
        SELECT i, random() < :share_hot AS near_hotspot, 1 + floor(random() * :hotspots)::int AS h,
               -- Box-Muller: a normal spread of about :spread_m metres around the hotspot
               sqrt(-2 * ln(1 - random())) AS r, 2 * pi() * random() AS phi
        FROM generate_series(1, :n) AS i
    )
    INSERT INTO findings (id, category_slug, geom, participant_id, created_at, description)
    SELECT gen_random_uuid(),
           (ARRAY['cycle_path', 'noise', 'empty_shop', 'youth_offer', 'litter', 'lighting',
                  'barrier', 'public_space', 'other'])[1 + floor(random() * 9)::int],
           CASE WHEN near_hotspot THEN ST_SetSRID(ST_MakePoint(
                    hot.lon[h] + r * cos(phi) * :spread_m / (111320 * cos(radians(hot.lat[h]))),
                    hot.lat[h] + r * sin(phi) * :spread_m / 111320), 4326)
                ELSE ST_SetSRID(ST_MakePoint(:west + random() * (:east - :west),
                                             :south + random() * (:north - :south)), 4326) END,
           people.ids[1 + floor(random() * cardinality(people.ids))::int],
           now() - random() * interval '90 days',
           'Synthetischer Fund ' || i
    FROM draw, hot, people
"""

BARE_SQL = """
    SELECT count(DISTINCT (category_slug, cid)) FROM (
        SELECT category_slug,
               ST_ClusterDBSCAN(ST_Transform(geom, 25832), eps := :eps, minpoints := :min_points)
                   OVER (PARTITION BY category_slug) AS cid
        FROM findings WHERE concern_id IS NULL
    ) AS labelled WHERE cid IS NOT NULL
"""


def database_url() -> str:
    """A fresh, empty database for the benchmark; return its SQLAlchemy URL."""
    base = os.environ.get("BENCH_DATABASE_URL")
    url = (normalise_database_url(base).rsplit("/", 1)[0] + f"/{DATABASE}") if base else embedded_pg.ensure().url(DATABASE)
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return url


def admin_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"


def load(session, n: int) -> float:
    """Participants, N findings (districts set by the trigger) and +1s on about one in ten."""
    started = time.perf_counter()
    session.execute(text("INSERT INTO participants (id) SELECT gen_random_uuid() FROM generate_series(1, :n)"),
                    {"n": max(n // 20, 1)})
    session.execute(text(LOAD_SQL), {
        "n": n, "hotspots": max(n // 500, 1), "share_hot": 0.7, "spread_m": 25,
        "west": WEST, "east": EAST, "south": SOUTH, "north": NORTH,
    })
    session.execute(text("""
        INSERT INTO confirmations (finding_id, participant_id)
        SELECT id, voter FROM (
            SELECT f.id, f.participant_id, people.ids[1 + floor(random() * cardinality(people.ids))::int] AS voter
            FROM findings f, (SELECT array_agg(id) AS ids FROM participants) AS people
            WHERE random() < 0.1
        ) AS votes
        WHERE voter IS DISTINCT FROM participant_id
        ON CONFLICT DO NOTHING
    """))
    session.commit()
    session.execute(text("ANALYZE"))
    return time.perf_counter() - started


def best_of(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic findings (default 100000)")
    parser.add_argument("--eps", type=float, default=40, help="DBSCAN distance in metres (default 40)")
    parser.add_argument("--min", type=int, default=2, help="DBSCAN minimum points (default 2)")
    parser.add_argument("--runs", type=int, default=3, help="runs per query; the best counts (default 3)")
    parser.add_argument("--keep", action="store_true", help=f"keep the database {DATABASE} afterwards")
    args = parser.parse_args(argv)

    from flask_migrate import upgrade

    url = database_url()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TILE_URL": ""})
    try:
        with app.app_context():
            upgrade()
            districts.load_default(db.session)
            print(f"loading {args.n:,} findings …", flush=True)
            load_s = load(db.session, args.n)
            params = {"eps": args.eps, "min_points": args.min}
            bare_s, clusters = best_of(args.runs, lambda: db.session.execute(text(BARE_SQL), params).scalar())
            full_s, body = best_of(args.runs, lambda: find_clusters(db.session, eps_m=args.eps, min_points=args.min))
            report(args, load_s, bare_s, full_s, clusters, body)
    finally:
        with app.app_context():
            db.engine.dispose()
        if not args.keep:
            with psycopg.connect(admin_url(url), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    return 0


def report(args, load_s: float, bare_s: float, full_s: float, clusters: int, body: str) -> None:
    print(f"\n{args.n:,} findings, eps {args.eps:g} m, min {args.min}, best of {args.runs}"
          f" (loading took {load_s:.1f} s); {clusters:,} clusters\n")
    rows = [
        ("bare ST_ClusterDBSCAN (count)", bare_s, "1.0×"),
        ("find_clusters (GeoJSON text)", full_s, f"{full_s / bare_s:.1f}×" if bare_s else "–"),
    ]
    print(f"{'query':<32} {'seconds':>9} {'ratio':>7}")
    for name, seconds, ratio in rows:
        print(f"{name:<32} {seconds:>9.3f} {ratio:>7}")
    print(f"\nGeoJSON: {len(body) / 1e6:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
