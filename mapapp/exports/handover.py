"""The hand-over package: the one ZIP an organiser sends to the city.

It bundles the GeoPackage and the semicolon CSV (both in EPSG:25832, whatever the
selection asked, so the city gets one fixed product), the offline HTML map, the PDF
report, the web-size photos (only when asked) and a German ``README.txt``. Each member
is produced by the registered writer of its format, writing straight into the zip
member, so nothing is held in memory twice; ``out`` need not be seekable.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import zipfile
from datetime import datetime
from typing import BinaryIO

from mapapp.config import LOCAL_TZ, LOCAL_ZONE
from mapapp.exports import ExportFormat, load_formats, register
from mapapp.exports import gis_layers
from mapapp.exports.about import export_settings, filters_in_words
from mapapp.exports import report_data as rd
from mapapp.exports.progress import RowCounter, no_progress, prefixed
from mapapp.exports.selection import Selection, rows_sql, stream_rows

MEMBER_MODE = 0o644  # every member readable by everyone who unpacks the package
# (format name, member name, what it is) in the order they are written.
MEMBERS = (
    ("gpkg", "daten.gpkg", "GeoPackage für QGIS/ArcGIS, EPSG:25832 (ETRS89 / UTM Zone 32N)"),
    ("csv-semicolon", "daten.csv", "Tabelle für Excel (Semikolon, Dezimalkomma, UTF-8)"),
    ("html", "karte.html", "Karte zum Öffnen im Browser, funktioniert ohne Internet"),
    ("pdf", "bericht.pdf", "Bericht zum Drucken (Karte, Zählungen, Texte)"),
)
CSV_EXTRA = (
    ("kind", "finding = Fundstelle, concern = Anliegen"),
    ("title", "Titel eines Anliegens"),
    ("latitude, longitude", "Breite/Länge WGS84 eines Punkts auf der Geometrie"),
    ("geometry_type", "Point oder LineString"),
    ("wkt", "Geometrie als WKT in EPSG:25832"),
    ("attributes", "Antworten auf die Fragen der Kategorie (JSON); im GeoPackage die Tabelle finding_answers"),
)
# (layer names, their fields) as the README lists them
LAYER_FIELDS = (
    ("findings_points, findings_lines (Fundstellen)", gis_layers.FINDING_FIELDS),
    ("finding_answers (Antworten der Fundstellen, Tabelle ohne Geometrie)", gis_layers.ANSWER_FIELDS),
    ("concerns (Anliegen)", gis_layers.CONCERN_FIELDS),
    ("walks (Ortsbegehungen, Geometrie: Treffpunkt)", gis_layers.WALK_FIELDS),
    ("walk_routes (geplante Wege der Ortsbegehungen)", gis_layers.WALK_ROUTE_FIELDS),
    ("districts (Stadtbezirke und Ortsteile)", gis_layers.DISTRICT_FIELDS),
)


def _field_lines(selection: Selection) -> list[str]:
    lines = ["Jede Ebene hat im GeoPackage eine Beschreibung, jede Spalte einen Titel und eine Erklärung",
             "(gpkg_data_columns); QGIS zeigt die Titel als Spaltennamen und lädt die Stile (layer_styles).", ""]
    for title, fields in LAYER_FIELDS:
        if selection.include_photos and fields in (gis_layers.FINDING_FIELDS, gis_layers.CONCERN_FIELDS):
            fields = fields + [gis_layers.PHOTOS]
        lines.append(f"Ebene {title}:")
        lines.extend(f"  {field.name}: {field.description}" for field in fields)
        lines.append("")
    lines.append("Die CSV hat die Spalten der Ebenen findings_points/findings_lines und concerns in einer")
    lines.append("Tabelle (summary heißt dort description; was eine Art nicht hat, bleibt leer), dazu:")
    lines.extend(f"  {name}: {description}" for name, description in CSV_EXTRA)
    return lines


def readme(session, selection: Selection, files: list[str], made: datetime, photos: int = 0) -> str:
    """The German README.txt: what, when, filters, CRS, files, fields, licence, contact, privacy."""
    licence, contact = export_settings()
    described = {name: about for _fmt, name, about in MEMBERS}
    listed = [f"  {name}: {described[name]}" for name in files if name in described]
    if photos:
        listed.append(f"  fotos/: {photos} Fotos, benannt <ID der Fundstelle oder des Anliegens>-<Nr>.jpg")
    listed.append("  README.txt: diese Beschreibung")
    sections = [
        ["Übergabepaket der Bürgerplattform mapapp (Ortsbegehungen in Duisburg)", "",
         "Ergebnisse von Ortsbegehungen: Fundstellen, die Teilnehmende auf der Karte markiert haben,",
         "und Anliegen, zu denen die Teams Fundstellen zusammengefasst haben.",
         f"Erstellt am {made.strftime('%d.%m.%Y um %H:%M Uhr')} ({made.tzname()}, {LOCAL_TZ})"],
        ["Auswahl:"] + [f"  {line}" for line in filters_in_words(session, selection)],
        ["Koordinatenreferenzsysteme:",
         "  GeoPackage (daten.gpkg) und CSV-Spalten easting/northing/wkt: EPSG:25832 (ETRS89 / UTM Zone 32N)",
         "  HTML-Karte, KML, GeoJSON und CSV-Spalten latitude/longitude: WGS84 (EPSG:4326)",
         "  Zeitangaben in den Daten: created_at/updated_at in UTC; dazu je <Feld>_local in Duisburger Zeit",
         "  mit Abstand zu UTC (2026-03-02 00:30:00+01:00 = MEZ, +02:00 = MESZ) und <Feld>_utc in UTC",
         "  (2026-03-01T23:30:00Z). KML: TimeStamp in UTC, Ortszeit in der Beschreibung."],
        ["Dateien:"] + listed,
        ["Felder:"] + _field_lines(selection),
        ["Lizenz:", f"  {licence}", "", f"Kontakt: {contact or 'nicht angegeben'}"],
        ["Datenschutz:",
         "  Das Paket enthält keine personenbezogenen Daten der Teilnehmenden: keine Namen oder",
         "  Spitznamen, keine Kennungen, Cookies oder IP-Adressen. Fotos sind verkleinert und ohne",
         "  Metadaten (EXIF, GPS) gespeichert."],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def _photo_jobs(session, selection: Selection):
    """(member name, storage key) of each web-size photo of the selected rows."""
    from mapapp.photos.storage import photo_key

    sql, params = rows_sql(selection)
    for row in stream_rows(session, sql, params):
        for number, photo in enumerate(_all_photos(row), start=1):
            if photo.get("sha256"):
                yield f"fotos/{row['id']}-{number}.jpg", photo_key(photo["sha256"], "web")


def _all_photos(row) -> list[dict]:
    """All photos of a row (the reports show only the first few; the package takes every one)."""
    photos = row["photos"]
    return (json.loads(photos) if isinstance(photos, str) else photos) or []


def _write_photos(session, selection: Selection, bundle: zipfile.ZipFile, progress=no_progress) -> int:
    """Copy each stored photo into the zip, uncompressed (JPEG is compressed already);
    files missing from the storage are skipped. One photo at a time, straight from the storage."""
    storage = rd.report_context().storage
    written = 0
    counter = RowCounter(progress, "fotos")
    for name, key in _photo_jobs(session, selection):
        counter.step()
        try:
            source = storage.open(key)
        except (OSError, ValueError):
            continue
        with source, bundle.open(_info(name, zipfile.ZIP_STORED), "w") as member:
            shutil.copyfileobj(source, member)
        written += 1
    counter.finish()
    return written


def _now_tuple():
    return datetime.now(LOCAL_ZONE).timetuple()[:6]


def _info(name: str, compress: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, _now_tuple())
    info.compress_type = compress
    info.external_attr = MEMBER_MODE << 16  # Unix mode bits; without them unzip makes files 0600
    return info


def write_handover(session, selection: Selection, out: BinaryIO, progress=no_progress) -> None:
    """Write the hand-over ZIP for ``selection`` into the binary file object ``out``."""
    formats = load_formats()
    fixed_crs = dataclasses.replace(selection, srid=25832)
    made = datetime.now(LOCAL_ZONE)
    files, photos = [], 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for fmt, name, _about in MEMBERS:
            chosen = fixed_crs if fmt in ("gpkg", "csv-semicolon") else selection
            with bundle.open(_info(name), "w", force_zip64=True) as member:
                formats[fmt].write(session, chosen, member, progress=prefixed(progress, name))
            files.append(name)
        if selection.include_photos:
            photos = _write_photos(session, selection, bundle, progress)
        text = readme(session, selection, files, made, photos)
        bundle.writestr(_info("README.txt"), text.encode("utf-8"))


register(ExportFormat("handover", "zip", "application/zip", write_handover, label="Übergabepaket (ZIP)",
                      default_what="both"))
