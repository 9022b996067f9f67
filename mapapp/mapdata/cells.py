"""The grid behind the zoomed-out map: aggregate cells from ``finding_cells`` plus an exact edge. No Flask.

Base cells are 64 screen pixels at zoom 16 (``BASE_CELL_M`` metres of EPSG:3857), numbered
from the south-west corner of the web-mercator square; a trigger keeps per base cell,
category and district the count and the coordinate sums of its findings (migration 0007,
whose SQL function ``finding_cell_key`` places a finding). A map cell at zoom z ≤ 16 is
2^(16-z) base cells wide, so it is ``index >> (16 - z)``.

A view's bbox rarely follows base-cell borders, so a query takes the base cells lying wholly
inside the bbox from ``finding_cells`` and counts the findings in the remaining rim from the
findings table (indexed by the rim's four strips): the counts are exact, and the cost
follows the number of cells and the findings along the rim, not the findings in view.
Filters the table does not know (walk, status, dates) are summed the same way from
``finding_day_cells`` (mapapp/mapdata/day_cells.py).
"""
from __future__ import annotations

import math

from mapapp.mapdata import day_cells

HALF_WORLD = 20037508.342789244
EARTH_RADIUS = 6378137
BASE_ZOOM = 16
BASE_CELL_M = 2 * HALF_WORLD / 2 ** (BASE_ZOOM + 2)  # 64 px of 256 px tiles at zoom 16
EPSILON_DEG = 1e-6  # strips overlap the inner rectangle a little; the exact test is in SQL
EMPTY_RANGE = {"ix0": 0, "ix1": -1, "iy0": 0, "iy1": -1}

# What ``finding_cell_key(f.geom)`` computes, written out so the planner inlines it: a call of
# the SQL function per row costs ~25 µs, this a fraction. Keep both in step (tests/tiles check it).
CELL_KEY_LATERAL = f"""CROSS JOIN LATERAL (
        SELECT floor((m.x + {HALF_WORLD}) / {BASE_CELL_M})::integer AS cx,
               floor((m.y + {HALF_WORLD}) / {BASE_CELL_M})::integer AS cy, m.x, m.y
        FROM (SELECT ST_X(a.p) * {HALF_WORLD} / 180 AS x,
                     ln(tan(pi() / 4 + radians(LEAST(GREATEST(ST_Y(a.p), -85.0511), 85.0511)) / 2)) * 6378137 AS y
              FROM (SELECT CASE WHEN GeometryType(f.geom) = 'POINT' THEN f.geom
                                ELSE ST_PointOnSurface(f.geom) END AS p) AS a) AS m
    ) AS ck"""


def merc_x(lon: float) -> float:
    return lon * HALF_WORLD / 180


def merc_y(lat: float) -> float:
    lat = max(-85.0511, min(85.0511, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * EARTH_RADIUS


def lon_of(x: float) -> float:
    return x * 180 / HALF_WORLD


def lat_of(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y / EARTH_RADIUS)) - math.pi / 2)


def inner_cells(bbox) -> tuple[dict, list[tuple[float, float, float, float]]]:
    """Base-cell index range wholly inside ``bbox`` and the strips (W, S, E, N) of the rim around it.

    Returns ``EMPTY_RANGE`` and no strips when no base cell fits inside.
    """
    west, south, east, north = bbox
    ix0 = math.ceil((merc_x(west) + HALF_WORLD) / BASE_CELL_M)
    ix1 = math.floor((merc_x(east) + HALF_WORLD) / BASE_CELL_M) - 1
    iy0 = math.ceil((merc_y(south) + HALF_WORLD) / BASE_CELL_M)
    iy1 = math.floor((merc_y(north) + HALF_WORLD) / BASE_CELL_M) - 1
    if ix0 > ix1 or iy0 > iy1:
        return EMPTY_RANGE, []
    in_w = lon_of(ix0 * BASE_CELL_M - HALF_WORLD) + EPSILON_DEG
    in_e = lon_of((ix1 + 1) * BASE_CELL_M - HALF_WORLD) - EPSILON_DEG
    in_s = lat_of(iy0 * BASE_CELL_M - HALF_WORLD) + EPSILON_DEG
    in_n = lat_of((iy1 + 1) * BASE_CELL_M - HALF_WORLD) - EPSILON_DEG
    strips = [(west, south, in_w, north), (in_e, south, east, north),
              (west, south, east, in_s), (west, in_n, east, north)]
    return {"ix0": ix0, "ix1": ix1, "iy0": iy0, "iy1": iy1}, strips


def strips_sql(strips, params: dict) -> str:
    """``AND (f.geom && strip OR …)``: a BitmapOr over the GiST index; empty without strips."""
    if not strips:
        return ""
    parts = []
    for i, strip in enumerate(strips):
        params.update({f"s{i}{side}": value for side, value in zip("wsen", strip)})
        parts.append(f"f.geom && ST_MakeEnvelope(:s{i}w, :s{i}s, :s{i}e, :s{i}n, 4326)")
    return " AND (" + " OR ".join(parts) + ")"


def table_where(query, params: dict) -> str:
    """Filters on ``finding_cells c`` for what the table knows: categories and district."""
    clauses = day_cells.category_district_clauses(query.filter, params)
    return "".join(f" AND {clause}" for clause in clauses)


def table_can_answer(query) -> bool:
    """Whether ``finding_cells`` holds what the filters ask (it knows category and district only)."""
    flt = query.filter
    return not (flt.walk_id or flt.statuses or flt.date_from or flt.date_to or flt.bbox)


FROM_TABLE = """
        SELECT c.cx >> :shift AS gx, c.cy >> :shift AS gy, c.category_slug AS category,
               c.n::bigint AS n, c.sx, c.sy, c.newest
        FROM finding_cells c
        WHERE c.cx BETWEEN :ix0 AND :ix1 AND c.cy BETWEEN :iy0 AND :iy1 {table_where}
"""

CELLS_SQL = """
    WITH from_table AS ({from_table}
    ), from_rim AS (
        SELECT floor((ck.x + {half}) / :size)::integer AS gx, floor((ck.y + {half}) / :size)::integer AS gy,
               f.category_slug AS category, count(*) AS n, sum(ck.x) AS sx, sum(ck.y) AS sy,
               max(f.updated_at) AS newest
        FROM findings f {join} {cell_key}
        WHERE {where}{strips} AND NOT (ck.cx BETWEEN :ix0 AND :ix1 AND ck.cy BETWEEN :iy0 AND :iy1)
        GROUP BY 1, 2, 3
    ), per_category AS (
        SELECT gx, gy, category, sum(n) AS n, sum(sx) AS sx, sum(sy) AS sy, max(newest) AS newest
        FROM (SELECT * FROM from_table UNION ALL SELECT * FROM from_rim) AS u
        GROUP BY 1, 2, 3
    ), cells AS (
        SELECT sum(n) AS n, sum(sx) / sum(n) AS mx, sum(sy) / sum(n) AS my,
               jsonb_object_agg(category, n) AS counts, max(newest) AS newest
        FROM per_category GROUP BY gx, gy
    )
    SELECT json_build_object(
        'type', 'FeatureCollection', 'mode', 'cells', 'total', COALESCE(sum(n), 0),
        'features', COALESCE(json_agg(json_build_object(
            'type', 'Feature',
            'geometry', ST_AsGeoJSON(ST_Transform(ST_SetSRID(ST_MakePoint(mx, my), 3857), 4326), 6)::json,
            'properties', json_build_object('kind', 'cell', 'count', n, 'counts', counts)
        ) ORDER BY n DESC, mx, my), '[]'::json)
    )::text AS body, max(newest) AS newest
    FROM cells
"""


def cells_sql(query, params: dict, where: str, join: str, zoom: int, size_m: float) -> str:
    """The cells query for ``query`` at ``zoom`` (cells ``size_m`` wide); fills ``params``."""
    plain = table_can_answer(query)
    use_table = (plain or day_cells.can_answer(query)) and zoom <= BASE_ZOOM
    cell_range, strips = inner_cells(query.bbox) if use_table else (EMPTY_RANGE, [])
    shift = max(BASE_ZOOM - zoom, 0)
    params.update(cell_range, shift=shift, size=size_m)
    if strips and not plain:
        from_table = day_cells.rows_sql(query, params, cell_range, shift)
    else:
        from_table = FROM_TABLE.format(table_where=table_where(query, params) if strips else "")
    return CELLS_SQL.format(
        from_table=from_table, half=HALF_WORLD, join=join, cell_key=CELL_KEY_LATERAL,
        where=where, strips=strips_sql(strips, params),
    )


def count_bounds_sql(query, params: dict) -> str | None:
    """SQL for (lower, upper) bounds of the findings in view from ``finding_cells`` (or, filtered by
    what only it knows, ``finding_day_cells``): the cells wholly inside the bbox and all cells it
    touches. None when neither table can answer the filters."""
    plain = table_can_answer(query)
    if not (plain or day_cells.can_answer(query)):
        return None
    west, south, east, north = query.bbox
    inner, _ = inner_cells(query.bbox)
    params.update(inner)
    outer = {
        "ox0": math.floor((merc_x(west) + HALF_WORLD) / BASE_CELL_M),
        "ox1": math.floor((merc_x(east) + HALF_WORLD) / BASE_CELL_M),
        "oy0": math.floor((merc_y(south) + HALF_WORLD) / BASE_CELL_M),
        "oy1": math.floor((merc_y(north) + HALF_WORLD) / BASE_CELL_M),
    }
    if not plain:
        return day_cells.count_bounds_sql(query, params, outer)
    params.update(outer)
    return (
        "SELECT COALESCE(sum(c.n) FILTER (WHERE c.cx BETWEEN :ix0 AND :ix1 AND c.cy BETWEEN :iy0 AND :iy1), 0),"
        " COALESCE(sum(c.n), 0) FROM finding_cells c"
        f" WHERE c.cx BETWEEN :ox0 AND :ox1 AND c.cy BETWEEN :oy0 AND :oy1{table_where(query, params)}"
    )
