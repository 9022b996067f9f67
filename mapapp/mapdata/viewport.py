"""Map data that grows with the view, not with the database. No Flask here.

``viewport_geojson`` answers a map view (bbox + zoom + filters) with GeoJSON text built
entirely by PostGIS. Zoomed out, or when the view holds more findings than a phone should
draw, it returns aggregate cells: a square grid in web mercator (EPSG:3857) whose cell is
``CELL_PX`` screen pixels wide at the requested zoom, with counts per category and a point
at the mean position of the cell's findings (mapapp/mapdata/cells.py: mostly summed from the
trigger-kept ``finding_cells``). Zoomed in, it returns the findings themselves as compact
Features. Findings are picked by ``geom && envelope``, so the GiST index does the work.
``mapapp.mapdata.vector_tiles.mvt_tile`` does the same for one Mapbox Vector Tile.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import filters as finding_filters
from mapapp.mapdata.cells import HALF_WORLD, cells_sql, count_bounds_sql
from mapapp.db import tune_for_bulk_reads
from mapapp.errors import ValidationFailed
from mapapp.findings.filters import FindingFilter

CELL_PX = 64
CELLS_BELOW_ZOOM = 15
FINDINGS_LIMIT = 2000
MVT_EXTENT = 4096
MVT_CELLS_PER_TILE = 16
# Metres of EPSG:3857 per pixel at zoom 0 (256 px tiles).
M_PER_PX_Z0 = 2 * HALF_WORLD / 256


@dataclass
class ViewportQuery:
    """One map view and the finding filter; ``bbox`` is W, S, E, N in EPSG:4326."""

    bbox: tuple[float, float, float, float]
    zoom: int
    filter: FindingFilter = field(default_factory=FindingFilter)


def cell_size_m(zoom: int, cell_px: int = CELL_PX) -> float:
    """Width of a grid cell in EPSG:3857 metres: ``cell_px`` screen pixels at ``zoom``."""
    return cell_px * M_PER_PX_Z0 / 2 ** zoom


def filter_sql(query, params: dict, envelope: str) -> str:
    """WHERE clause for the findings ``f`` (concern ``k`` joined) in ``envelope`` that the filter takes.

    ``envelope`` is an SQL expression of the area in EPSG:4326; ``&&`` keeps it indexable.
    """
    where, filter_params = finding_filters.where_sql(query.filter)
    params.update(filter_params)
    return f"f.geom && {envelope} AND {where}"


def concern_join(query) -> str:
    """The concerns join, only when the status filter needs it."""
    return "LEFT JOIN concerns k ON k.id = f.concern_id" if query.filter.statuses else ""


def check_categories(session: Session, categories: list[str]) -> None:
    """Refuse unknown category slugs, naming the ``category`` parameter."""
    if not categories:
        return
    known = set(session.execute(
        text("SELECT slug FROM categories WHERE slug = ANY(:slugs)"),
        {"slugs": [c for c in categories if "\x00" not in c]},
    ).scalars())
    unknown = [c for c in categories if c not in known]
    if unknown:
        message = _("Unbekannte Kategorie „%(slug)s“.", slug=", ".join(unknown))
        raise ValidationFailed(message, {"category": message})


FINDINGS_SQL = """
    WITH hits AS (
        SELECT f.id, f.category_slug, COALESCE(k.status, f.status) AS status, f.geom, f.updated_at
        FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id
        WHERE {where}
    )
    SELECT json_build_object(
        'type', 'FeatureCollection', 'mode', 'findings', 'total', count(*),
        'features', COALESCE(json_agg(json_build_object(
            'type', 'Feature', 'id', h.id,
            'geometry', ST_AsGeoJSON(h.geom, 6)::json,
            'properties', json_build_object(
                'kind', 'finding', 'id', h.id, 'category', h.category_slug, 'status', h.status, 'icon', c.icon)
        ) ORDER BY h.id), '[]'::json)
    )::text AS body, max(h.updated_at) AS newest
    FROM hits h JOIN categories c ON c.slug = h.category_slug
"""

COUNT_SQL = "SELECT count(*) FROM (SELECT 1 FROM findings f {join} WHERE {where} LIMIT :cap) AS capped"

ENVELOPE = "ST_MakeEnvelope(:w, :s, :e, :n, 4326)"


def count_in_view(session: Session, query: ViewportQuery, limit: int) -> int:
    """The findings in view, exactly up to ``limit`` (above it: some number > limit).

    When ``finding_cells`` (or, for dates, status and walk, ``finding_day_cells``) can answer
    the filters, the cells the bbox touches give an upper bound and the cells wholly inside it
    a lower bound, so a sparse or a crowded view costs an index range scan; only in between
    are the findings counted.
    """
    params = dict(zip("wsen", query.bbox))
    bounds = count_bounds_sql(query, params)
    if bounds is not None:
        lower, upper = session.execute(text(bounds), params).one()
        if upper <= limit or lower > limit:
            return upper
    where = filter_sql(query, params, ENVELOPE)
    return session.execute(
        text(COUNT_SQL.format(join=concern_join(query), where=where)), params | {"cap": limit + 1}
    ).scalar_one()


def viewport_geojson(session: Session, query: ViewportQuery, *, cells_below_zoom: int = CELLS_BELOW_ZOOM,
                     findings_limit: int = FINDINGS_LIMIT) -> tuple[str, datetime | None]:
    """Return the view as FeatureCollection text (``mode`` cells or findings) and its newest change.

    Cells below ``cells_below_zoom`` or when the view holds more than ``findings_limit``
    findings; otherwise the findings. ``total`` is the number of findings represented.
    """
    check_categories(session, query.filter.categories)
    tune_for_bulk_reads(session)
    params = dict(zip("wsen", query.bbox))
    where = filter_sql(query, params, ENVELOPE)
    cells = query.zoom < cells_below_zoom
    if not cells:
        cells = count_in_view(session, query, findings_limit) > findings_limit
    if cells:
        sql = cells_sql(query, params, where, concern_join(query), query.zoom, cell_size_m(query.zoom))
    else:
        sql = FINDINGS_SQL.format(where=where)
    row = session.execute(text(sql), params).one()
    return row.body, row.newest
