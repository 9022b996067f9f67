"""CSV export: UTF-8 with BOM (so Excel sees the umlauts), one row per finding or concern.

Two formats: ``csv`` (comma, decimal point) and ``csv-semicolon`` (semicolon and decimal comma,
as German Excel expects). Coordinates come as latitude/longitude (WGS84) and easting/northing
(EPSG:25832), computed in PostGIS; the geometry itself as WKT in the selection's srid.

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) get a leading apostrophe, as OWASP advises against CSV injection:
Excel and LibreOffice then show the text instead of evaluating it.
"""
from typing import BinaryIO

from sqlalchemy import text

from mapapp.exports import ExportFormat, register
from mapapp.exports.progress import RowCounter, no_progress
from mapapp.db import tune_for_bulk_reads
from mapapp.exports.selection import Selection, rows_sql
from mapapp.exports.times import paired_sql

BOM = "\ufeff".encode("utf-8")

# (CSV header, row column)
COLUMNS = (
    ("kind", "kind"), ("id", "id"), ("category", "category"), ("category_label", "category_label"),
    ("status", "status"), ("status_label", "status_label"), ("title", "title"), ("description", "description"),
    ("urgency", "urgency"), ("accuracy_m", "accuracy_m"), ("confirmations", "confirmations"), ("walk", "walk"),
    ("walk_id", "walk_id"), ("concern_id", "concern_id"), ("findings_count", "findings_count"),
    ("people", "people"), ("duplicate_of", "duplicate_of"), ("ortsteil", "ortsteil"), ("ortsteil_code", "ortsteil_code"),
    ("stadtbezirk", "stadtbezirk"), ("stadtbezirk_code", "stadtbezirk_code"),
    ("created_at", "created_at"), ("updated_at", "updated_at"),
    ("created_at_local", "created_at_local"), ("created_at_utc", "created_at_utc"),
    ("updated_at_local", "updated_at_local"), ("updated_at_utc", "updated_at_utc"),
    ("latitude", "lat"), ("longitude", "lon"), ("easting", "easting"), ("northing", "northing"),
    ("geometry_type", "geometry_type"), ("wkt", "geom_wkt"), ("attributes", "attributes"),
    ("photos", "photos"),
)
_DIGITS = {"lat": 7, "lon": 7, "easting": 2, "northing": 2, "accuracy_m": 1}
_JSON = ("attributes", "photos")
_TIMES = ("created_at", "updated_at")
# Each time once more as Duisburg time and as UTC with "Z" (mapapp/exports/times.py).
_ZONED = {name: sql for column in _TIMES for name, sql in paired_sql(column).items()}
# Cells a person or an imported file wrote (descriptions, titles, walk and district names).
_TEXT = ("title", "description", "walk", "category_label", "ortsteil", "stadtbezirk")
FORMULA_START = r"^[-=+@\t\r]"  # a PostgreSQL regular expression


def neutralised_sql(expression: str) -> str:
    """SQL that prefixes a text starting like a spreadsheet formula with an apostrophe."""
    return f"CASE WHEN {expression} ~ '{FORMULA_START}' THEN '''' || {expression} ELSE {expression} END"


def _cell_sql(column: str, decimal: str) -> str:
    """The SQL text of one CSV cell: fixed decimals (with ``decimal`` as the mark), ISO 8601 UTC
    times, JSON as text; NULL stays NULL, an empty cell."""
    if column in _DIGITS:
        fixed = f"round(CAST(r.{column} AS numeric), {_DIGITS[column]})::text"
        return fixed if decimal == "." else f"replace({fixed}, '.', '{decimal}')"
    if column in _ZONED:
        return _ZONED[column]
    if column in _TIMES:
        return f"""to_char(r.{column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
    if column in _JSON:
        return f"CAST(r.{column} AS text)"
    if column in _TEXT:
        return neutralised_sql(f"r.{column}")
    return f"r.{column}"


def copy_sql(sql: str, delimiter: str, decimal: str) -> str:
    """``COPY`` of the selection rows as CSV: PostgreSQL formats and quotes every cell."""
    cells = ", ".join(f'{_cell_sql(column, decimal)} AS "{header}"' for header, column in COLUMNS)
    return (f"COPY (SELECT {cells} FROM ({sql}) AS r) TO STDOUT "
            f"WITH (FORMAT csv, HEADER true, DELIMITER '{delimiter}', ENCODING 'UTF8')")


def writer_for(delimiter: str, decimal: str):
    """A ``write(session, selection, out)`` for one separator/decimal mark.

    The rows go through ``COPY … TO STDOUT``: PostgreSQL writes the CSV, psycopg hands it over
    in chunks as it comes, so memory stays constant and no cell passes through Python.
    Progress counts the rows already sent (by line ends; a text with a line break counts twice).
    """

    def write(session, selection: Selection, out: BinaryIO, progress=no_progress) -> None:
        counter = RowCounter(progress, "rows")
        sql, params = rows_sql(selection)
        compiled = text(copy_sql(sql, delimiter, decimal)).bindparams(**params).compile(
            dialect=session.get_bind().dialect)
        out.write(BOM)
        tune_for_bulk_reads(session)
        raw = session.connection().connection.dbapi_connection
        header = 1
        with raw.cursor() as cursor, cursor.copy(str(compiled), compiled.params) as copy:
            for chunk in copy:
                out.write(chunk)
                lines = bytes(chunk).count(b"\n")
                counter.step(lines - header)
                header = 0
        counter.finish()

    return write


register(ExportFormat(
    name="csv", extension="csv", media_type="text/csv; charset=utf-8", write=writer_for(",", "."),
    label="CSV (Komma)",
))
register(ExportFormat(
    name="csv-semicolon", extension="csv", media_type="text/csv; charset=utf-8",
    write=writer_for(";", ","), label="CSV (Semikolon, Excel)",
))
