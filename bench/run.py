"""mapapp against its peers, in one run: ``make bench`` or ``.venv/bin/python bench/run.py``.

    bench/run.py [--n 1000000] [--workers CPUS] [--duration 10] [--skip pygeoapi,lighthouse,…] [--keep-data]

Creates the database ``mapapp_bench`` (embedded cluster, or the server in
``BENCH_DATABASE_URL``), loads N synthetic findings, serves mapapp and pygeoapi with
gunicorn (same worker count) and measures: the viewport API against pygeoapi and against
its own bare SQL; random views at zoom 12–17 without and with filters (dates and status,
walk), each against its bare SQL; ingest through ``POST /api/findings``; clustering and
exports of a 100,000-finding sample against the bare query and ``ogr2ogr``; the phone page's
transfer size, Lighthouse mobile runs (the median of five) of ``/`` and of a walk's map, the walk map's
offline start, and the photo blurring's face and plate recall (``bench/blur.py``). Prints the results and the targets as markdown and
writes them to ``var/bench/results.md``. A measurement, not a test: it asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import batch, blur, data, filtered, ingest, offline, page, peer_pygeoapi, report, servers, views  # noqa: E402,E501

PARTS = ("viewport", "filtered", "pygeoapi", "ingest", "clusters", "exports", "page", "lighthouse", "offline",
         "blur")


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="synthetic findings (default 1000000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="gunicorn workers for mapapp and for pygeoapi (default: CPU count)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads per gunicorn worker, both servers (default 4, as gunicorn.conf.py)")
    parser.add_argument("--duration", type=float, default=10, help="seconds per viewport measurement (default 10)")
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out: " + ",".join(PARTS))
    parser.add_argument("--keep-data", action="store_true", help="reuse mapapp_bench when it holds N findings")
    parser.add_argument("--ingest-per-client", type=int, default=150, help="findings per ingest client (default 150)")
    args = parser.parse_args(argv)
    args.skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = args.skip - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s) to skip: {', '.join(sorted(unknown))}")
    return args


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{os.cpu_count()} cores, {mem:.0f} GiB, {platform.system()} {platform.machine()}"


def database_version(url: str) -> str:
    import psycopg

    with psycopg.connect(data.libpq_url(url)) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0].split()[0]
        postgis = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()[0]
    return f"PostgreSQL {pg}, PostGIS {postgis}"


def attempt(results: dict, key: str, work) -> None:
    """Run one part; a part that fails is reported as failed and the others still run."""
    try:
        results[key] = work()
    except Exception as exc:  # noqa: BLE001 - any failure of a part belongs in the report
        print(f"  {key} failed: {exc}", flush=True)
        results["failed"].append(f"{key} ({type(exc).__name__}: {str(exc)[:200]})")


def measure_servers(args, url: str, var: Path, results: dict) -> None:
    app = servers.start_mapapp(var, url, args.workers, args.threads)
    peer = None
    try:
        if "viewport" not in args.skip:
            if "pygeoapi" not in args.skip:
                print("starting pygeoapi …", flush=True)
                peer = peer_pygeoapi.start(var, data.libpq_url(url), args.workers, views.PEER_LIMIT_CAP, args.threads)
            print("viewport:", flush=True)
            attempt(results, "viewport", lambda: views.measure(url, app, peer, args.duration, var))
            servers.stop(peer)
            peer = None
        if "filtered" not in args.skip:
            print("random views, without and with filters:", flush=True)
            walk_id = data.sample_walk_id(url)
            attempt(results, "filtered", lambda: filtered.measure(url, app.base, walk_id, args.duration, var))
        if "ingest" not in args.skip:
            print("ingest …", flush=True)
            attempt(results, "ingest", lambda: ingest.run(url, app.port, per_client=args.ingest_per_client))
        if "page" not in args.skip:
            print("phone page …", flush=True)
            attempt(results, "page", lambda: page.transfer(app.port))
        walk_map = f"/w/{data.page_walk_code(url)}/map"
        if "lighthouse" not in args.skip:
            print("lighthouse …", flush=True)
            attempt(results, "lighthouse", lambda: page.lighthouse(app.base, var))
            attempt(results, "lighthouse_walk", lambda: page.lighthouse(app.base, var, walk_map))
            if "lighthouse" in results and results["lighthouse"] is None:
                results["skipped"].append("lighthouse (no Chromium or npm)")
        if "offline" not in args.skip:
            print("walk map offline start …", flush=True)
            attempt(results, "offline", lambda: offline.offline_start(app.base, walk_map.split("/")[2]))
    finally:
        servers.stop(peer)
        servers.stop(app)


def measure_batch(args, url: str, var: Path, results: dict) -> None:
    from mapapp import create_app
    from mapapp.db import db

    walk_id = data.sample_walk_id(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TILE_URL": ""})
    with app.app_context():
        try:
            if "clusters" not in args.skip:
                print("clustering …", flush=True)
                attempt(results, "clusters", lambda: batch.clustering(db.session, walk_id))
            if "exports" not in args.skip:
                print("exports:", flush=True)
                out_dir = var / "exports"
                out_dir.mkdir(parents=True, exist_ok=True)
                attempt(results, "exports", lambda: batch.exports(db.session, data.libpq_url(url), walk_id, out_dir))
        finally:
            db.session.remove()
            db.engine.dispose()


def main(argv=None) -> int:
    args = parse(argv)
    from mapapp.config import var_dir

    var = var_dir() / "bench"
    var.mkdir(parents=True, exist_ok=True)
    load_at_start = os.getloadavg()[0]
    url, reused = data.prepare(args.n, args.keep_data)
    if reused:
        print(f"reusing mapapp_bench with {args.n:,} findings", flush=True)
    results: dict = {"skipped": sorted(args.skip), "failed": []}
    measure_batch(args, url, var, results)
    measure_servers(args, url, var, results)
    if "blur" not in args.skip:  # faces and plates on a labelled set built offline (bench/blur.py)
        print("blurring faces and plates …", flush=True)
        attempt(results, "blur", blur.measure)
    meta = {"n": args.n, "workers": args.workers, "threads": args.threads, "duration": args.duration,
            "machine": f"{machine()}, {database_version(url)}; load average {load_at_start:.1f} before the run, "
                       f"{os.getloadavg()[0]:.1f} after it (other processes share the machine)",
            "when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    text = report.render(meta, results)
    report.write(text, var / "results.md")
    print("\n" + text)
    print(f"written to {var / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
