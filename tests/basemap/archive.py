"""A small PMTiles basemap built by the tests: vector tiles of the district polygons around
Homberg, cut by PostGIS (``ST_AsMVT``) in the Protomaps basemap's layer names (earth, roads,
places) and written with the ``pmtiles`` package's writer; and the fixtures that serve it."""
import gzip
import json
from pathlib import Path

import pytest
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import write
from sqlalchemy import text

from mapapp.basemap.archive import Basemap
from mapapp.basemap.area import tile_range
from mapapp.db import db

# West, south, east, north: Alt-Homberg and its neighbours around Bismarckplatz.
HOMBERG = (6.66, 51.43, 6.74, 51.48)
ZOOMS = range(12, 16)

TILE_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS box),
ot AS (
    SELECT d.name, ST_Transform(d.geom, 3857) AS geom FROM districts d, env
    WHERE d.level = 'ortsteil' AND ST_Intersects(d.geom, ST_Transform(env.box, 4326))
),
earth AS (
    SELECT 'earth' AS kind, ST_AsMVTGeom(ST_Union(ot.geom), env.box) AS geom FROM ot, env GROUP BY env.box
),
roads AS (
    SELECT 'major_road' AS kind, ot.name, ST_AsMVTGeom(ST_Boundary(ot.geom), env.box) AS geom FROM ot, env
),
places AS (
    SELECT 'locality' AS kind, ot.name, ST_AsMVTGeom(ST_PointOnSurface(ot.geom), env.box) AS geom FROM ot, env
)
SELECT COALESCE((SELECT ST_AsMVT(earth, 'earth') FROM earth WHERE geom IS NOT NULL), ''::bytea)
    || COALESCE((SELECT ST_AsMVT(roads, 'roads') FROM roads WHERE geom IS NOT NULL), ''::bytea)
    || COALESCE((SELECT ST_AsMVT(places, 'places') FROM places WHERE geom IS NOT NULL), ''::bytea)
"""


def tiles(session, bounds=HOMBERG, zooms=ZOOMS):
    """``(tile id, gzipped MVT)`` for every tile covering ``bounds`` at ``zooms``, in id order."""
    found = []
    for z in zooms:
        xs, ys = tile_range(bounds, z)
        for x in xs:
            for y in ys:
                data = bytes(session.execute(text(TILE_SQL), {"z": z, "x": x, "y": y}).scalar())
                found.append((zxy_to_tileid(z, x, y), gzip.compress(data)))
    return sorted(found)


def build_archive(session, path: Path, bounds=HOMBERG, zooms=ZOOMS) -> Path:
    """Write the test basemap to ``path`` and return it."""
    west, south, east, north = bounds
    with write(str(path)) as writer:
        for tile_id, data in tiles(session, bounds, zooms):
            writer.write_tile(tile_id, data)
        writer.finalize({
            "tile_type": TileType.MVT, "tile_compression": Compression.GZIP,
            "min_zoom": zooms.start, "max_zoom": zooms.stop - 1,
            "min_lon_e7": round(west * 1e7), "min_lat_e7": round(south * 1e7),
            "max_lon_e7": round(east * 1e7), "max_lat_e7": round(north * 1e7),
            "center_zoom": zooms.start, "center_lon_e7": int((west + east) / 2 * 1e7),
            "center_lat_e7": int((south + north) / 2 * 1e7),
        }, {"name": "mapapp test basemap", "vector_layers": [{"id": n} for n in ("earth", "roads", "places")]})
    return path


@pytest.fixture(scope="session")
def basemap_file(app, tmp_path_factory):
    with app.app_context():
        return build_archive(db.session, tmp_path_factory.mktemp("basemap") / "homberg.pmtiles")


@pytest.fixture
def basemap(app, basemap_file, monkeypatch):
    """The app with ``MAPAPP_BASEMAP_PMTILES`` pointing at the test basemap (as init_app opens it)."""
    archive = Basemap(basemap_file)
    monkeypatch.setitem(app.extensions, "basemap", archive)
    return archive
