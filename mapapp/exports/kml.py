"""KML export (always WGS84), streamed row by row.

A small writer rather than GDAL's KML driver, because the driver makes one folder per
layer and cannot append: here each kind (findings, concerns) is a folder with one
sub-folder per category. Geometry is PostGIS' ``ST_AsKML``; every text is XML-escaped.
Placemarks are named by category; the description is the finding's (or concern's) text.
Each category has a style in the app's colour (mapapp/colours.py): a round icon for findings,
a square one for concerns, and lines (lines stay lines: ``ST_AsKML``) drawn in the same colour.

KML viewers render ``<description>`` as HTML, so user text is HTML-escaped before it is
XML-escaped there: a description holding ``<script>`` shows as text, never as markup. The
same text stays plain in ``ExtendedData`` (``title``, ``description``) for GIS clients.
"""
import dataclasses
import html
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from mapapp.colours import category_colours
from mapapp.exports import ExportFormat, register
from mapapp.exports.progress import RowCounter, no_progress
from mapapp.exports.selection import concern_rows_sql, finding_rows_sql, stream_rows
from mapapp.i18n import local_time

KINDS = (("findings", "Fundstellen", finding_rows_sql), ("concerns", "Anliegen", concern_rows_sql))
EXTENDED = ("id", "title", "description", "status", "status_label", "urgency", "accuracy_m", "confirmations",
            "walk", "concern_id", "findings_count", "people", "duplicate_of", "ortsteil", "stadtbezirk",
            "created_at")
HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2">\n'
        "<Document><name>mapapp</name>\n")
# Icons Google Earth tints with the style's colour, by kind.
ICONS = {"finding": "http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png",
         "concern": "http://maps.google.com/mapfiles/kml/shapes/placemark_square.png"}


def _text(value) -> str:
    return escape("" if value is None else str(value))


def kml_colour(colour: str) -> str:
    """``#rrggbb`` as KML's opaque ``aabbggrr``."""
    return f"ff{colour[5:7]}{colour[3:5]}{colour[1:3]}"


def style_id(kind: str, category: str) -> str:
    return f"{kind}-{category}"


def styles(session) -> str:
    """A shared style per kind and category: the icon and the line in the category's colour."""
    parts = []
    for category, colour in category_colours(session).items():
        for kind, icon in ICONS.items():
            parts.append(
                f"<Style id={quoteattr(style_id(kind, category))}><IconStyle><color>{kml_colour(colour)}</color>"
                f"<Icon><href>{icon}</href></Icon></IconStyle>"
                f"<LineStyle><color>{kml_colour(colour)}</color><width>4</width></LineStyle></Style>\n")
    return "".join(parts)


def utc_text(moment: datetime) -> str:
    """``2026-03-01T23:30:00Z``: a KML ``<when>`` (XML Schema dateTime in UTC)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def placemark(row) -> str:
    """One Placemark: category as name, escaped text as description, details as ExtendedData.

    The time: ``<TimeStamp>`` in UTC (for the time slider) and, for people, a last line of
    the description in Duisburg time with the zone named ("Erfasst am 02.03.2026, 00:30 MEZ").
    Children in the order KML 2.2's schema asks: name, description, TimeStamp, styleUrl, ExtendedData.
    """
    data = "".join(
        f"<Data name={quoteattr(key)}><value>{_text(row[key])}</value></Data>"
        for key in EXTENDED if row[key] is not None
    )
    description = row["description"]
    if row["title"]:
        description = f"{row['title']}\n{description or ''}".strip()
    if row["created_at"]:
        description = f"{description or ''}\nErfasst am {local_time(row['created_at'], lang='de')}".strip()
    parts = [f"<Placemark id={quoteattr(row['kind'] + '-' + row['id'])}>",
             f"<name>{_text(row['category_label'])}</name>"]
    if description:
        parts.append(f"<description>{_text(html.escape(description))}</description>")
    if row["created_at"]:
        parts.append(f"<TimeStamp><when>{utc_text(row['created_at'])}</when></TimeStamp>")
    parts.append(f"<styleUrl>{_text('#' + style_id(row['kind'], row['category']))}</styleUrl>")
    parts.append(f"<ExtendedData>{data}</ExtendedData>{row['kml']}</Placemark>\n")
    return "".join(parts)


def _kind_folder(session, selection, label, rows_sql, counter):
    """Yield the KML text of one kind's folder, a sub-folder per category."""
    sql, params = rows_sql(selection)
    sql = (f"SELECT q.*, ST_AsKML(ST_GeomFromText(q.geom_wkt, 4326), 7) AS kml FROM ({sql}) AS q "
           "ORDER BY q.category_label, q.category, q.created_at, q.id")
    yield f"<Folder><name>{_text(label)}</name>\n"
    current = None
    for row in stream_rows(session, sql, params):
        if row["category"] != current:
            if current is not None:
                yield "</Folder>\n"
            current = row["category"]
            yield f"<Folder><name>{_text(row['category_label'])}</name>\n"
        yield placemark(row)
        counter.step()
    if current is not None:
        yield "</Folder>\n"
    yield "</Folder>\n"


def write_kml(session, selection, out, progress=no_progress) -> None:
    """Stream the selection as KML 2.2 into the binary file object ``out``."""
    selection = dataclasses.replace(selection, srid=4326)
    counter = RowCounter(progress, "rows")
    out.write(HEAD.encode("utf-8"))
    out.write(styles(session).encode("utf-8"))
    for what, label, rows_sql in KINDS:
        if selection.what in (what, "both"):
            for chunk in _kind_folder(session, selection, label, rows_sql, counter):
                out.write(chunk.encode("utf-8"))
    counter.finish()
    out.write(b"</Document>\n</kml>\n")


KML = register(ExportFormat("kml", "kml", "application/vnd.google-earth.kml+xml", write_kml, label="KML",
                            default_what="both"))
