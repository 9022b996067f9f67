"""What the reports for officials (HTML map, PDF) share: aggregates of the selected rows
(counts, colours, bounds, counts by Stadtbezirk and Ortsteil; the rows themselves are streamed
by each report), the district outlines around them, a title, photo thumbnails and the tile settings.

The reports are German, the city's working language: their texts are the German msgids with
no catalogue, so counted words go through gettext's ``ngettext`` with German's plural rule
(:func:`count_de`), and times are Duisburg time with the zone named (:func:`local_time`).

No Flask in the loading functions. :func:`report_context` alone looks at the running app
(when there is one) for the photo storage and the tile server, because the registry's
``write(session, selection, out)`` carries neither.
"""
from __future__ import annotations

import base64
import gettext
import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.colours import FALLBACK, category_colours
from mapapp.config import LOCAL_ZONE
from mapapp.exports.selection import Selection, rows_sql
from mapapp.i18n import local_time as i18n_local_time
from mapapp.statuses import LABELS as STATUS_LABELS

THUMBS_PER_ITEM = 3
# The reports' msgids are German and stay untranslated: gettext without a catalogue, i.e.
# German's plural rule (1 → singular). Swap in a catalogue's to translate them.
_REPORT_TRANSLATIONS = gettext.NullTranslations()
_gettext, _ngettext = _REPORT_TRANSLATIONS.gettext, _REPORT_TRANSLATIONS.ngettext


@dataclass
class Tiles:
    url: str
    attribution: str
    max_zoom: int = 19


@dataclass
class ReportContext:
    """Where thumbnails come from (a ``mapapp.photos.storage`` Storage or None) and the tiles."""

    storage: object | None = None
    tiles: Tiles | None = None


@dataclass
class ReportData:
    """What a report knows about its selection before it streams the rows: aggregates only,
    computed in PostGIS, so its size does not grow with the number of findings."""

    title: str
    made: datetime  # when the report was made, in Duisburg time
    counts: list[tuple[str, str, str, int]] = field(default_factory=list)  # (kind, category, status, n)
    # (Stadtbezirk, Ortsteil, findings, concerns); None where a row lies in no district
    by_district: list[tuple[str | None, str | None, int, int]] = field(default_factory=list)
    districts: dict = field(default_factory=dict)  # GeoJSON FeatureCollection
    colours: dict[str, str] = field(default_factory=dict)  # category slug → colour
    labels: dict[str, str] = field(default_factory=dict)  # category slug → German label
    line_categories: set[str] = field(default_factory=set)  # categories whose findings are all lines
    bounds: dict[str, float | None] = field(default_factory=dict)  # min/max of lat, lon, easting, northing

    @property
    def source_line(self) -> str:
        return f"Quelle: mapapp · Stadtteil-Spaziergang Duisburg, Stand {self.made.strftime('%d.%m.%Y')}"

    def total(self, kind: str) -> int:
        return sum(n for k, _c, _s, n in self.counts if k == kind)

    def by_category(self, kind: str) -> dict[str, int]:
        result: dict[str, int] = {}
        for k, category, _status, n in self.counts:
            if k == kind:
                result[category] = result.get(category, 0) + n
        return result


def status_label(status: str | None) -> str:
    """A status's label in the reports' language (``mapapp.statuses.LABELS``); an unknown code as it is."""
    return _gettext(STATUS_LABELS[status]) if status in STATUS_LABELS else status or ""


def count_de(n: int, singular: str, plural: str) -> str:
    """``n`` and the German noun in the right number: "1 Fund", "2 Funde", "1 Person"."""
    return f"{n} {_ngettext(singular, plural, n)}"


def local_time(moment: datetime) -> str:
    """A moment as people in Duisburg read it, zone named: "12.09.2026, 10:00 MESZ"."""
    return i18n_local_time(moment, lang="de")


def outlines_label(data: ReportData) -> str:
    """The district outlines in words: "Grenzen der Ortsteile" (or Stadtbezirke, or both)."""
    levels = {feature["properties"].get("level") for feature in data.districts.get("features", [])}
    names = [name for level, name in (("stadtbezirk", "Stadtbezirke"), ("ortsteil", "Ortsteile")) if level in levels]
    return "Grenzen der " + (" und ".join(names) or "Stadtteile")


def report_context() -> ReportContext:
    """The running app's photo storage and tile settings; outside an app, the defaults
    (``MAPAPP_UPLOAD_DIR`` or var/uploads, no tiles)."""
    from mapapp.photos.storage import LocalStorage

    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - Flask is a dependency
        has_app_context = lambda: False  # noqa: E731
    if has_app_context():
        config = current_app.config
        storage = current_app.extensions.get("photo_storage")
        if storage is None:
            from mapapp.config import var_dir

            storage = LocalStorage(config.get("UPLOAD_DIR") or var_dir() / "uploads")
        url = config.get("TILE_URL") or ""
        tiles = Tiles(url, config.get("TILE_ATTRIBUTION") or "", int(config.get("TILE_MAX_ZOOM") or 19)) if url else None
        return ReportContext(storage, tiles)
    from mapapp.config import var_dir

    return ReportContext(LocalStorage(os.environ.get("MAPAPP_UPLOAD_DIR") or var_dir() / "uploads"), None)


def report_title(session: Session, selection: Selection) -> str:
    """The walk's title, else the district's name, else a general title."""
    if selection.walk_id:
        title = session.execute(text("SELECT title FROM walks WHERE id = CAST(:id AS uuid)"),
                                {"id": str(selection.walk_id)}).scalar()
        if title:
            return title
    if selection.district:
        name = session.execute(text(
            "SELECT name FROM districts WHERE code = :d OR lower(name) = lower(:d) "
            "ORDER BY level = 'stadtbezirk' DESC LIMIT 1"), {"d": selection.district.strip()}).scalar()
        if name:
            return f"Stadtteil {name}"
    return "Funde und Anliegen in Duisburg"


def district_outlines(session: Session, selection: Selection, ortsteile: list[str], srid: int) -> dict:
    """The Ortsteile holding the selected rows plus the selected district, as a GeoJSON
    FeatureCollection in ``srid`` (each with a label point); all Stadtbezirke when none match."""
    sql = """
        WITH chosen AS (
            SELECT * FROM districts
            WHERE (level = 'ortsteil' AND name = ANY(:ortsteile))
               OR (CAST(:district AS text) IS NOT NULL AND (code = :district OR lower(name) = lower(:district)))
        ), shown AS (
            SELECT * FROM chosen
            UNION ALL
            SELECT * FROM districts WHERE level = 'stadtbezirk' AND NOT EXISTS (SELECT 1 FROM chosen)
        )
        SELECT json_build_object('type', 'FeatureCollection', 'features', COALESCE(json_agg(json_build_object(
            'type', 'Feature',
            'properties', json_build_object('name', name, 'code', code, 'level', level,
                'label', ST_AsGeoJSON(ST_Transform(ST_PointOnSurface(geom), :srid), 6)::json -> 'coordinates'),
            'geometry', ST_AsGeoJSON(ST_Transform(
                ST_Transform(ST_SimplifyPreserveTopology(ST_Transform(geom, 25832), 2), 4326), :srid), 6)::json
        ) ORDER BY level, name), '[]'::json))
        FROM shown""".replace(":srid", str(int(srid)))
    district = selection.district.strip() if selection.district else None
    return session.execute(text(sql), {"ortsteile": ortsteile, "district": district}).scalar()


# Rows without a district (outside Duisburg's outlines) sort last, under None.
_DISTRICT_SQL = """
    SELECT stadtbezirk, ortsteil, count(*) FILTER (WHERE kind = 'finding') AS findings,
           count(*) FILTER (WHERE kind = 'concern') AS concerns
    FROM ({rows}) AS r
    GROUP BY stadtbezirk, ortsteil
    ORDER BY stadtbezirk NULLS LAST, ortsteil NULLS LAST"""

_SUMMARY_SQL = """
    SELECT kind, category, category_label, status, count(*) AS n,
           min(created_at) AS first_seen, min(lat) AS min_lat, max(lat) AS max_lat, min(lon) AS min_lon,
           max(lon) AS max_lon, min(easting) AS min_e, max(easting) AS max_e,
           min(northing) AS min_n, max(northing) AS max_n,
           bool_and(geometry_type = 'LineString') AS lines_only,
           array_remove(array_agg(DISTINCT ortsteil), NULL) AS ortsteile
    FROM ({rows}) AS r
    GROUP BY kind, category, category_label, status"""


def load(session: Session, selection: Selection, srid: int = 4326, made: datetime | None = None) -> ReportData:
    """The aggregates of the selection and the outlines around it (outline coordinates in ``srid``):
    grouped queries over the rows, never the rows themselves."""
    sql, params = rows_sql(selection)
    groups = [dict(row) for row in session.execute(text(_SUMMARY_SQL.format(rows=sql)), params).mappings()]
    data = ReportData(title=report_title(session, selection), made=(made or datetime.now(LOCAL_ZONE)).astimezone(LOCAL_ZONE))
    data.counts = [(g["kind"], g["category"], g["status"], g["n"]) for g in groups]
    data.by_district = [tuple(row) for row in session.execute(text(_DISTRICT_SQL.format(rows=sql)), params)]
    # Each category in the colour the app's map and the GIS layers give it; listed in order of
    # first appearance, findings' categories first, then concern-only ones.
    colours = category_colours(session)
    order = sorted(groups, key=lambda g: (g["kind"] != "finding", g["first_seen"], g["category"]))
    for group in order:
        if group["category"] not in data.labels:
            data.labels[group["category"]] = group["category_label"]
            data.colours[group["category"]] = colours.get(group["category"], FALLBACK)
    categories = {g["category"] for g in groups if g["kind"] == "finding"}
    data.line_categories = {c for c in categories
                            if all(g["lines_only"] for g in groups if g["kind"] == "finding" and g["category"] == c)}
    for key, pick in (("min_lat", min), ("max_lat", max), ("min_lon", min), ("max_lon", max),
                      ("min_e", min), ("max_e", max), ("min_n", min), ("max_n", max)):
        values = [g[key] for g in groups if g[key] is not None]
        data.bounds[key] = pick(values) if values else None
    ortsteile = sorted({name for g in groups for name in g["ortsteile"]})
    data.districts = district_outlines(session, selection, ortsteile, srid)
    return data


def photo_list(row: dict) -> list[dict]:
    photos = row.get("photos")
    if isinstance(photos, str):
        photos = json.loads(photos)
    return (photos or [])[:THUMBS_PER_ITEM]


def thumb_bytes(storage, sha256: str) -> bytes | None:
    """The stored thumbnail of a photo, or None when the storage has no such file."""
    from mapapp.photos.storage import photo_key

    if storage is None or not sha256:
        return None
    try:
        with storage.open(photo_key(sha256, "thumb")) as handle:
            return handle.read()
    except (OSError, ValueError):
        return None


def thumbs(storage, row: dict) -> list[bytes]:
    """The thumbnails of a row's photos that could be read (missing files are skipped)."""
    found = (thumb_bytes(storage, photo.get("sha256")) for photo in photo_list(row))
    return [data for data in found if data]


def data_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def leaflet_dir() -> Path:
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)
