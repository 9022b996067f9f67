"""CSV export: UTF-8 with BOM (so Excel sees the umlauts), one row per finding or concern.

Two formats: ``csv`` (comma, decimal point) and ``csv-semicolon`` (semicolon and decimal comma,
as German Excel expects). Coordinates come as latitude/longitude (WGS84) and easting/northing
(EPSG:25832), computed in PostGIS; the geometry itself as WKT in the selection's srid.
"""
import csv
import io
import json
from typing import BinaryIO

from mapapp.exports import ExportFormat, register
from mapapp.exports.selection import Selection, rows_sql, stream_rows

BOM = "\ufeff".encode("utf-8")

# (CSV header, row column)
COLUMNS = (
    ("kind", "kind"), ("id", "id"), ("category", "category"), ("category_label", "category_label"),
    ("status", "status"), ("title", "title"), ("description", "description"), ("urgency", "urgency"),
    ("confirmations", "confirmations"), ("walk", "walk"), ("walk_id", "walk_id"),
    ("concern_id", "concern_id"), ("ortsteil", "ortsteil"), ("ortsteil_code", "ortsteil_code"),
    ("stadtbezirk", "stadtbezirk"), ("stadtbezirk_code", "stadtbezirk_code"),
    ("created_at", "created_at"), ("updated_at", "updated_at"),
    ("latitude", "lat"), ("longitude", "lon"), ("easting", "easting"), ("northing", "northing"),
    ("geometry_type", "geometry_type"), ("wkt", "geom_wkt"), ("attributes", "attributes"),
    ("photos", "photos"),
)
_DIGITS = {"lat": 7, "lon": 7, "easting": 2, "northing": 2}


def _cell(column: str, value, decimal: str) -> str:
    if value is None:
        return ""
    if column in _DIGITS:
        return f"{value:.{_DIGITS[column]}f}".replace(".", decimal)
    if column in ("attributes", "photos"):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def writer_for(delimiter: str, decimal: str):
    """A ``write(session, selection, out)`` for one separator/decimal mark."""

    def write(session, selection: Selection, out: BinaryIO) -> None:
        buffer = io.StringIO()
        rows = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        out.write(BOM)
        rows.writerow([header for header, _column in COLUMNS])
        sql, params = rows_sql(selection)
        for row in stream_rows(session, sql, params):
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
            rows.writerow([_cell(column, row[column], decimal) for _header, column in COLUMNS])
        out.write(buffer.getvalue().encode("utf-8"))

    return write


register(ExportFormat(
    name="csv", extension="csv", media_type="text/csv; charset=utf-8", write=writer_for(",", "."),
    label="CSV (Komma)",
))
register(ExportFormat(
    name="csv-semicolon", extension="csv", media_type="text/csv; charset=utf-8",
    write=writer_for(";", ","), label="CSV (Semikolon, Excel)",
))
