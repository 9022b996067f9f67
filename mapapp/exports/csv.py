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
from mapapp.exports.progress import RowCounter, no_progress
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


def _fixed(digits: int, decimal: str):
    def cell(value):
        return "" if value is None else f"{value:.{digits}f}".replace(".", decimal)
    return cell


def _json_cell(value):
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _iso(value):
    return "" if value is None else value.isoformat()


def _formatters(decimal: str) -> list:
    """One converter per column; None where the csv module writes the value as it is
    (text, integers, NULL as an empty cell)."""
    special = {"attributes": _json_cell, "photos": _json_cell, "created_at": _iso, "updated_at": _iso}
    special.update({column: _fixed(digits, decimal) for column, digits in _DIGITS.items()})
    return [special.get(column) for _header, column in COLUMNS]


def writer_for(delimiter: str, decimal: str):
    """A ``write(session, selection, out)`` for one separator/decimal mark."""

    def write(session, selection: Selection, out: BinaryIO, progress=no_progress) -> None:
        counter = RowCounter(progress, "rows")
        buffer = io.StringIO()
        rows = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
        out.write(BOM)
        rows.writerow([header for header, _column in COLUMNS])
        sql, params = rows_sql(selection)
        cells = list(zip((column for _header, column in COLUMNS), _formatters(decimal)))
        for row in stream_rows(session, sql, params):
            out.write(buffer.getvalue().encode("utf-8"))
            buffer.seek(0)
            buffer.truncate()
            rows.writerow([convert(row[column]) if convert else row[column] for column, convert in cells])
            counter.step()
        counter.finish()
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
