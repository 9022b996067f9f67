"""A walk's area for offline use: the basemap tiles around its route or meeting point.

The bounds come from PostGIS; the tile list from the archive's directory, so the page learns
how many tiles and bytes it is about to store before it fetches any.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.basemap.archive import Basemap

# Map zooms a participant uses on foot, and the margin around route or meeting point (metres).
AREA_ZOOMS = range(13, 18)
AREA_MARGIN_M = 500
# A vector renderer draws a display tile from the data tile this many zooms above it (512 px
# tiles on a 256 px grid: protomaps-leaflet's default); raster tiles are drawn one to one.
VECTOR_LEVEL_DIFF = 1

# Route and meeting point, grown by the margin in metres (ETRS89 / UTM 32N, the city's CRS).
AREA_SQL = """
    SELECT ST_XMin(box) AS west, ST_YMin(box) AS south, ST_XMax(box) AS east, ST_YMax(box) AS north
    FROM (
        SELECT COALESCE(
            ST_Transform(ST_Expand(ST_Transform(
                COALESCE(ST_Collect(w.route, w.meeting_point), w.route, w.meeting_point), 25832), :margin), 4326),
            ot.geom)::box2d AS box
        FROM walks w LEFT JOIN districts ot ON ot.id = w.ortsteil_id
        WHERE w.join_code = :join_code
    ) area
"""


@dataclass(frozen=True)
class AreaTile:
    z: int
    x: int
    y: int
    size: int


def walk_area_bounds(session: Session, join_code: str) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` of the walk's route and meeting point plus AREA_MARGIN_M,
    else of its Ortsteil; None for an unknown walk or one with no place at all."""
    row = session.execute(text(AREA_SQL), {"join_code": join_code, "margin": AREA_MARGIN_M}).mappings().first()
    if row is None or row["west"] is None:
        return None
    return row["west"], row["south"], row["east"], row["north"]


def level_diff(basemap: Basemap) -> int:
    return VECTOR_LEVEL_DIFF if basemap.is_vector else 0


def data_zooms(basemap: Basemap, display_zooms=AREA_ZOOMS) -> list[int]:
    """The archive zooms the map reads to draw ``display_zooms`` (deeper ones are over-zoomed)."""
    header = basemap.header
    zooms = {min(max(z - level_diff(basemap), header["min_zoom"]), header["max_zoom"]) for z in display_zooms}
    return sorted(zooms)


def tile_range(bounds, z: int) -> tuple[range, range]:
    """The x and y ranges of the zoom-``z`` tiles covering ``bounds`` (web mercator grid)."""
    west, south, east, north = bounds
    n = 2 ** z

    def column(lon):
        return min(n - 1, max(0, math.floor((lon + 180) / 360 * n)))

    def row(lat):
        lat = max(-85.0511, min(85.0511, lat))
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
        return min(n - 1, max(0, math.floor(y)))

    return range(column(west), column(east) + 1), range(row(north), row(south) + 1)


def area_tiles(basemap: Basemap, bounds) -> list[AreaTile]:
    """Every tile of the archive the map needs to draw ``bounds`` at AREA_ZOOMS, with its size."""
    tiles = []
    for z in data_zooms(basemap):
        xs, ys = tile_range(bounds, z)
        for x in xs:
            for y in ys:
                size = basemap.tile_size(z, x, y)
                if size is not None:
                    tiles.append(AreaTile(z, x, y, size))
    return tiles
