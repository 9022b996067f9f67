"""GeoJSON export: an RFC 7946 FeatureCollection in WGS84 lon/lat, whatever ``selection.srid`` says.

Each feature's JSON is built in PostGIS and the rows come through a server-side cursor, so the
collection is written piece by piece in constant memory. ``properties.kind`` tells findings from
concerns.
"""
from typing import BinaryIO

from mapapp.exports import ExportFormat, register
from mapapp.exports.progress import RowCounter, no_progress
from mapapp.exports.selection import Selection, rows_sql, stream_rows
from mapapp.exports.times import paired_sql

# The rows' columns that become ``properties`` (the geometry columns do not repeat there).
PROPERTIES = (
    "kind", "id", "category", "category_label", "status", "status_label", "title", "description", "urgency",
    "accuracy_m", "confirmations", "walk", "walk_id", "concern_id", "findings_count", "people", "duplicate_of",
    "ortsteil", "ortsteil_code", "stadtbezirk", "stadtbezirk_code", "created_at", "updated_at", "attributes",
    "photos", "lat", "lon", "easting", "northing",
)
# Each time once more as Duisburg time and as UTC with "Z" (mapapp/exports/times.py).
ZONED = {**paired_sql("created_at"), **paired_sql("updated_at")}


def features_sql(selection: Selection) -> tuple[str, dict]:
    """One row per feature, column ``feature`` = the Feature as JSON text.

    Only the columns named here are read from the rows, so PostGIS does not build the
    geometry columns other formats need (reprojected GeoJSON, WKT) just to drop them.
    """
    sql, params = rows_sql(selection)
    properties = ", ".join([f"r.{column}" for column in PROPERTIES]
                           + [f"{sql} AS {name}" for name, sql in ZONED.items()])
    return f"""
        SELECT json_build_object(
                   'type', 'Feature', 'id', r.id,
                   'geometry', r.geom_wgs84::json,
                   'properties', row_to_json(p)
               )::text AS feature
        FROM ({sql}) AS r CROSS JOIN LATERAL (SELECT {properties}) AS p""", params


def write(session, selection: Selection, out: BinaryIO, progress=no_progress) -> None:
    """Stream the FeatureCollection into ``out``."""
    sql, params = features_sql(selection)
    counter = RowCounter(progress, "rows")
    out.write(b'{"type": "FeatureCollection", "features": [\n')
    first = True
    for row in stream_rows(session, sql, params):
        if not first:
            out.write(b",\n")
        out.write(row["feature"].encode("utf-8"))
        first = False
        counter.step()
    counter.finish()
    out.write(b"\n]}\n")


register(ExportFormat(
    name="geojson", extension="geojson", media_type="application/geo+json", write=write,
    label="GeoJSON (WGS84)",
))
