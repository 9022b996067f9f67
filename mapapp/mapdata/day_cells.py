"""Filtered map cells: sums from ``finding_day_cells`` for views filtered by dates, status or walk. No Flask.

``finding_day_cells`` (migration 0013) holds the counts and coordinate sums of
``finding_cells`` per base cell and also per Duisburg day, status as shown, walk, category
and district, at two levels: ``level`` 0 is the base cell, ``COARSE_LEVEL`` a square of
2^3 × 2^3 base cells. Any filter but a free bbox is a condition on its columns, so the rows
matching it are summed, not the findings counted.

A zoomed-out view (map cells of at least a coarse cell) takes the coarse cells wholly inside
its base-cell range, the base cells of that range around them (four strips), and, as
unfiltered views do (mapapp/mapdata/cells.py), the findings of the rim outside the base
cells: the counts stay exact, and the rows read follow the view's size in coarse cells.
"""
from __future__ import annotations

from mapapp.findings import filters as finding_filters

COARSE_LEVEL = 3
NIL_WALK = "00000000-0000-0000-0000-000000000000"

ROWS_SQL = """
    SELECT c.cx >> {shift} AS gx, c.cy >> {shift} AS gy, c.category_slug AS category,
           c.n::bigint AS n, c.sx, c.sy, c.newest
    FROM finding_day_cells c
    WHERE c.level = {level} AND c.cx BETWEEN :{p}x0 AND :{p}x1 AND c.cy BETWEEN :{p}y0 AND :{p}y1 {where}"""


def can_answer(query) -> bool:
    """Whether ``finding_day_cells`` holds what the filters ask: all of them but a free bbox."""
    return not query.filter.bbox


def category_district_clauses(flt, params: dict) -> list[str]:
    """Conditions on a cell table ``c`` for the filter's categories and district (both tables know them)."""
    clauses = []
    if flt.categories:
        clauses.append("c.category_slug = ANY(:categories)")
        params["categories"] = list(flt.categories)
    if flt.district:
        clauses.append(finding_filters.in_district("c"))
        params["district"] = flt.district
    return clauses


def day_where(query, params: dict) -> str:
    """Conditions on ``finding_day_cells c`` for the filter (each day is a Duisburg day, as the table's)."""
    clauses, flt = [], query.filter
    if flt.walk_id is not None:
        clauses.append("c.walk_id = CAST(:walk_id AS uuid)")
        params["walk_id"] = str(flt.walk_id)
    if flt.statuses:
        clauses.append("c.status = ANY(:statuses)")
        params["statuses"] = list(flt.statuses)
    clauses += category_district_clauses(flt, params)
    if flt.date_from:
        clauses.append("c.day >= CAST(:date_from AS date)")
        params["date_from"] = flt.date_from
    if flt.date_to:
        clauses.append("c.day <= CAST(:date_to AS date)")
        params["date_to"] = flt.date_to
    return "".join(f" AND {clause}" for clause in clauses)


def _rect(parts: list, params: dict, level: int, shift: int, box: tuple[int, int, int, int], where: str) -> None:
    """Add the rows of ``level`` in ``box`` (x0, x1, y0, y1 in that level's cells) unless it is empty."""
    x0, x1, y0, y1 = box
    if x0 > x1 or y0 > y1:
        return
    name = f"r{len(parts)}"
    params.update({f"{name}x0": x0, f"{name}x1": x1, f"{name}y0": y0, f"{name}y1": y1})
    parts.append(ROWS_SQL.format(shift=shift, level=level, p=name, where=where))


def coarse_box(cell_range: dict) -> tuple[int, int, int, int]:
    """The coarse cells wholly inside the base-cell range (may be empty: x0 > x1)."""
    size = 1 << COARSE_LEVEL
    return (-(-cell_range["ix0"] // size), (cell_range["ix1"] + 1) // size - 1,
            -(-cell_range["iy0"] // size), (cell_range["iy1"] + 1) // size - 1)


def rows_sql(query, params: dict, cell_range: dict, shift: int) -> str:
    """Rows (gx, gy, category, n, sx, sy, newest) of the base-cell range ``cell_range`` for map cells
    ``shift`` levels above the base cell; fills ``params``. Empty range: a query of no rows."""
    where = day_where(query, params)
    parts: list[str] = []
    ix0, ix1, iy0, iy1 = cell_range["ix0"], cell_range["ix1"], cell_range["iy0"], cell_range["iy1"]
    jx0, jx1, jy0, jy1 = coarse_box(cell_range) if shift >= COARSE_LEVEL else (0, -1, 0, -1)
    if jx0 > jx1 or jy0 > jy1:
        _rect(parts, params, 0, shift, (ix0, ix1, iy0, iy1), where)
    else:
        _rect(parts, params, COARSE_LEVEL, shift - COARSE_LEVEL, (jx0, jx1, jy0, jy1), where)
        ax0, ax1 = jx0 << COARSE_LEVEL, ((jx1 + 1) << COARSE_LEVEL) - 1
        ay0, ay1 = jy0 << COARSE_LEVEL, ((jy1 + 1) << COARSE_LEVEL) - 1
        for box in ((ix0, ax0 - 1, iy0, iy1), (ax1 + 1, ix1, iy0, iy1),
                    (ax0, ax1, iy0, ay0 - 1), (ax0, ax1, ay1 + 1, iy1)):
            _rect(parts, params, 0, shift, box, where)
    if not parts:
        return ("SELECT 0 AS gx, 0 AS gy, ''::varchar AS category, 0::bigint AS n, 0::float8 AS sx,"
                " 0::float8 AS sy, now() AS newest WHERE false")
    return "\n    UNION ALL".join(parts)


def count_bounds_sql(query, params: dict, outer: dict) -> str:
    """(lower, upper) bounds of the findings in view: the base cells wholly inside (``:ix0`` …)
    and all base cells the view touches (``outer``: ``ox0`` …)."""
    params.update(outer)
    return (
        "SELECT COALESCE(sum(c.n) FILTER (WHERE c.cx BETWEEN :ix0 AND :ix1 AND c.cy BETWEEN :iy0 AND :iy1), 0),"
        " COALESCE(sum(c.n), 0) FROM finding_day_cells c"
        f" WHERE c.level = 0 AND c.cx BETWEEN :ox0 AND :ox1 AND c.cy BETWEEN :oy0 AND :oy1{day_where(query, params)}"
    )
