"""Mapbox Vector Tiles of the findings (ST_AsMVT), with the viewport's filters. No Flask here.

One layer, ``findings``. Below ``cells_below_zoom`` a tile holds aggregate points: the
tile is cut into ``MVT_CELLS_PER_TILE``² cells, each with a point at the mean position of
its findings and attributes ``count`` plus one count per category slug. Tile borders are
base-cell borders (mapapp/mapdata/cells.py), so up to zoom 14 these come from ``finding_cells``
alone, or from ``finding_day_cells`` when filtered by dates, status or walk (a free bbox
needs the findings). From ``cells_below_zoom`` on a tile holds one
feature per finding (points, and lines as lines) with ``id``, ``category`` and ``status``.
"""
from __future__ import annotations

import math

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.mapdata import day_cells
from mapapp.mapdata.cells import BASE_ZOOM, CELL_KEY_LATERAL, table_can_answer, table_where
from mapapp.db import tune_for_bulk_reads
from mapapp.mapdata.viewport import (
    CELLS_BELOW_ZOOM,
    MVT_CELLS_PER_TILE,
    MVT_EXTENT,
    ViewportQuery,
    check_categories,
    concern_join,
    filter_sql,
)

LAYER = "findings"
TILE_BOUNDS = "(SELECT ST_Transform(ST_TileEnvelope(:z, :x, :y), 4326))"
CELL_BITS = int(math.log2(MVT_CELLS_PER_TILE))

FINDINGS_MVT = """
    SELECT ST_AsMVT(t, 'findings', {extent}, 'geom') FROM (
        SELECT f.id::text AS id, f.category_slug AS category, COALESCE(k.status, f.status) AS status,
               ST_AsMVTGeom(ST_Transform(f.geom, 3857), ST_TileEnvelope(:z, :x, :y), {extent}, 64, true) AS geom
        FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id
        WHERE {where}
    ) AS t WHERE t.geom IS NOT NULL
"""

# Per category: (cell x, cell y, category, count, sum x, sum y) rows, from the table or the findings.
FROM_TABLE = """
    SELECT c.cx >> :shift AS gx, c.cy >> :shift AS gy, c.category_slug AS category,
           sum(c.n) AS n, sum(c.sx) AS sx, sum(c.sy) AS sy
    FROM finding_cells c
    WHERE c.cx BETWEEN :ix0 AND :ix1 AND c.cy BETWEEN :iy0 AND :iy1 {table_where}
    GROUP BY 1, 2, 3
"""
FROM_FINDINGS = """
    SELECT ck.cx >> :shift AS gx, ck.cy >> :shift AS gy, f.category_slug AS category,
           count(*) AS n, sum(ck.x) AS sx, sum(ck.y) AS sy
    FROM findings f {join} {cell_key}
    WHERE {where} AND ck.cx BETWEEN :ix0 AND :ix1 AND ck.cy BETWEEN :iy0 AND :iy1
    GROUP BY 1, 2, 3
"""
CELLS_MVT = """
    WITH per_category AS ({rows}), cells AS (
        SELECT sum(n)::int AS count, jsonb_object_agg(category, n) AS counts,
               ST_SetSRID(ST_MakePoint(sum(sx) / sum(n), sum(sy) / sum(n)), 3857) AS p
        FROM per_category GROUP BY gx, gy
    )
    SELECT ST_AsMVT(t, 'findings', {extent}, 'geom') FROM (
        SELECT c.count, c.counts, ST_AsMVTGeom(c.p, ST_TileEnvelope(:z, :x, :y), {extent}, 64, true) AS geom
        FROM cells c
    ) AS t WHERE t.geom IS NOT NULL
"""


def tile_cells(z: int, x: int, y: int) -> dict:
    """Base-cell index range of tile z/x/y (tile rows count from the north) and the shift to its cells."""
    span = 2 ** (BASE_ZOOM + 2 - z)
    row = 2 ** z - 1 - y
    return {"ix0": x * span, "ix1": (x + 1) * span - 1, "iy0": row * span, "iy1": (row + 1) * span - 1,
            "shift": BASE_ZOOM + 2 - z - CELL_BITS}


def tile_rows(query: ViewportQuery, params: dict, where: str) -> str:
    """The per-category rows of the tile's cells: from ``finding_cells``, ``finding_day_cells``
    (filters only it knows) or, for a free bbox, the findings."""
    if table_can_answer(query):
        return FROM_TABLE.format(table_where=table_where(query, params))
    if day_cells.can_answer(query):
        rows = day_cells.rows_sql(query, params, params, params["shift"])
        return f"SELECT gx, gy, category, sum(n) AS n, sum(sx) AS sx, sum(sy) AS sy FROM ({rows}) AS d GROUP BY 1, 2, 3"
    return FROM_FINDINGS.format(join=concern_join(query), where=where, cell_key=CELL_KEY_LATERAL)


def mvt_tile(session: Session, z: int, x: int, y: int, query: ViewportQuery, *,
             cells_below_zoom: int = CELLS_BELOW_ZOOM) -> bytes:
    """Return tile z/x/y as MVT bytes (empty bytes when no finding falls in it).

    ``query.bbox`` and ``query.zoom`` are ignored: the tile defines both.
    """
    check_categories(session, query.filter.categories)
    tune_for_bulk_reads(session)
    params = {"z": z, "x": x, "y": y}
    where = filter_sql(query, params, TILE_BOUNDS)
    if z >= cells_below_zoom or z > BASE_ZOOM + 2 - CELL_BITS:
        sql = FINDINGS_MVT.format(where=where, extent=MVT_EXTENT)
    else:
        params.update(tile_cells(z, x, y))
        rows = tile_rows(query, params, where)
        sql = CELLS_MVT.format(rows=rows, extent=MVT_EXTENT)
    data = session.execute(text(sql), params).scalar()
    return bytes(data or b"")
