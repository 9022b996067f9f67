"""(c) Clustering and (d) exports of the 100,000-finding sample, each against its peer.

Clustering: ``mapapp.review.clusters.clustering.find_clusters`` (labels, hulls, counts, GeoJSON)
against the bare ``ST_ClusterDBSCAN`` labelling of the same findings. Exports: the export
registry's GeoPackage, GeoJSON and CSV writers against GDAL's ``ogr2ogr`` writing the same
rows (one per finding, the same attributes, EPSG:25832 for GeoPackage) from the same table.
Each is the best of ``runs`` runs.
"""
from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

from sqlalchemy import text

BARE_CLUSTER_SQL = """
    SELECT count(DISTINCT (category_slug, cid)) FROM (
        SELECT category_slug,
               ST_ClusterDBSCAN(ST_Transform(geom, 25832), eps := :eps, minpoints := :min_points)
                   OVER (PARTITION BY category_slug) AS cid
        FROM findings WHERE concern_id IS NULL AND walk_id = :walk_id
    ) AS labelled WHERE cid IS NOT NULL
"""

# What ogr2ogr exports: the same findings with the attributes of mapapp's export rows.
OGR_SQL = """
    SELECT f.id::text AS id, 'finding' AS kind, f.category_slug AS category, c.label_de AS category_label,
           COALESCE(k.status, f.status) AS status, f.description, f.urgency,
           (SELECT count(*) FROM confirmations cf WHERE cf.finding_id = f.id) AS confirmations,
           w.title AS walk, f.walk_id::text AS walk_id, f.concern_id::text AS concern_id,
           ot.name AS ortsteil, ot.code AS ortsteil_code, sb.name AS stadtbezirk, sb.code AS stadtbezirk_code,
           f.created_at, f.updated_at, f.attributes::text AS attributes, f.geom
    FROM findings f
    JOIN categories c ON c.slug = f.category_slug
    LEFT JOIN concerns k ON k.id = f.concern_id
    LEFT JOIN walks w ON w.id = f.walk_id
    LEFT JOIN districts ot ON ot.id = f.ortsteil_id
    LEFT JOIN districts sb ON sb.id = f.stadtbezirk_id
    WHERE f.walk_id = '{walk_id}'
"""

EXPORTS = [  # (mapapp format, ogr2ogr driver, extension, extra ogr2ogr options)
    ("gpkg", "GPKG", "gpkg", ["-t_srs", "EPSG:25832", "-nln", "findings"]),
    ("geojson", "GeoJSON", "geojson", ["-t_srs", "EPSG:4326", "-lco", "RFC7946=YES"]),
    ("csv", "CSV", "csv", ["-t_srs", "EPSG:25832", "-lco", "GEOMETRY=AS_XY"]),
]


def best_of(runs: int, work) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return min(times), result


def clustering(session, walk_id: str, runs: int = 3, eps: float = 40, min_points: int = 2) -> dict:
    from mapapp.review.clusters.clustering import find_clusters

    params = {"eps": eps, "min_points": min_points, "walk_id": walk_id}
    size = session.execute(text("SELECT count(*) FROM findings WHERE walk_id = :w"), {"w": walk_id}).scalar()
    bare_s, clusters = best_of(runs, lambda: session.execute(text(BARE_CLUSTER_SQL), params).scalar())
    full_s, body = best_of(runs, lambda: find_clusters(session, eps_m=eps, min_points=min_points,
                                                       walk_id=uuid.UUID(walk_id)))
    session.rollback()
    return {"findings": size, "clusters": clusters, "bare_s": bare_s, "mapapp_s": full_s, "bytes": len(body)}


def ensure_ogr2ogr() -> str:
    found = shutil.which("ogr2ogr")
    if not found:
        from mapapp.devtools.embedded_pg import _apt_install

        _apt_install(["gdal-bin"])
        found = shutil.which("ogr2ogr")
    return found


def ogr_pg(libpq_url: str) -> str:
    """GDAL's PG: connection string for a libpq URL."""
    return "PG:" + libpq_url


def exports(session, libpq_url: str, walk_id: str, out_dir: Path, runs: int = 2) -> list[dict]:
    from mapapp.exports import load_formats
    from mapapp.exports.selection import Selection

    formats = load_formats()
    ogr2ogr = ensure_ogr2ogr()
    rows = []
    for name, driver, ext, options in EXPORTS:
        target = out_dir / f"mapapp.{ext}"
        selection = Selection(walk_id=walk_id, srid=25832)

        def ours():
            with target.open("wb") as out:
                formats[name].write(session, selection, out)
            session.rollback()

        peer_target = out_dir / f"ogr2ogr.{ext}"

        def theirs():
            peer_target.unlink(missing_ok=True)
            subprocess.run([ogr2ogr, "-f", driver, str(peer_target), ogr_pg(libpq_url),
                            "-sql", OGR_SQL.format(walk_id=walk_id), *options],
                           check=True, capture_output=True)

        mapapp_s, _ = best_of(runs, ours)
        ogr_s, _ = best_of(runs, theirs)
        rows.append({"format": name, "mapapp_s": mapapp_s, "ogr2ogr_s": ogr_s,
                     "mapapp_bytes": target.stat().st_size, "ogr2ogr_bytes": peer_target.stat().st_size})
        print(f"  {name:<8} mapapp {mapapp_s:6.2f} s  ogr2ogr {ogr_s:6.2f} s", flush=True)
    return rows
