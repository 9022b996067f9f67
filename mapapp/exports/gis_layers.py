"""The layers the GIS exports (GeoPackage, Shapefile) share, read from PostGIS in column batches.

Findings are split by geometry type into ``findings_points`` and ``findings_lines``: a
GeoPackage or Shapefile layer holds one geometry type, and QGIS opens typed layers
directly (a generic geometry layer makes it ask which sub-layer to load). Concerns are
points; ``districts`` are the boundaries the selection touches (MultiPolygon).

Geometry comes out of PostGIS already in the selection's SRID as WKB; Python only packs
the rows, a batch at a time, into columns; each format turns them into its writer's types.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import text

from mapapp.exports.selection import Selection, concern_rows_sql, finding_rows_sql

BATCH_ROWS = 5000  # rows per write: exports of any size in bounded memory


@dataclass(frozen=True)
class Field:
    """One attribute: ``column`` of the selection rows, written as ``name`` (``short`` in a Shapefile)."""

    name: str
    short: str
    kind: str  # text | int | float | datetime | json
    description: str
    column: str = ""

    @property
    def source(self) -> str:
        return self.column or self.name


@dataclass
class Batch:
    """Up to ``BATCH_ROWS`` rows of a layer, by column, with their WKB geometries."""

    geometries: np.ndarray
    columns: dict[str, tuple]

    def __len__(self) -> int:
        return len(self.geometries)


@dataclass
class Layer:
    """A layer to write; its rows are read from PostGIS in batches when written."""

    name: str
    title: str
    description: str
    geometry_type: str
    fields: list[Field]
    session: object
    sql: str
    params: dict

    def batches(self, size: int | None = None):
        """Yield the rows in batches through a server-side cursor; always at least one batch."""
        size = size or BATCH_ROWS
        result = self.session.execute(
            text(self.sql).execution_options(stream_results=True, yield_per=size), self.params
        )
        names = list(result.keys())
        empty = True
        for chunk in result.partitions(size):
            columns = dict(zip(names, zip(*chunk)))
            empty = False
            yield Batch(np.array([bytes(wkb) for wkb in columns.pop("wkb")], dtype=object), columns)
        if empty:
            yield Batch(np.array([], dtype=object), {name: () for name in names})


_COMMON_HEAD = [
    Field("id", "id", "text", "UUID"),
    Field("category", "category", "text", "Kategorie (Kürzel)"),
    Field("category_label", "cat_label", "text", "Kategorie"),
    Field("status", "status", "text", "Bearbeitungsstand"),
]
_PLACE = [
    Field("ortsteil", "ortsteil", "text", "Ortsteil"),
    Field("ortsteil_code", "ot_code", "text", "Ortsteil-Nummer"),
    Field("stadtbezirk", "stadtbez", "text", "Stadtbezirk"),
    Field("stadtbezirk_code", "sb_code", "text", "Stadtbezirk-Nummer"),
    Field("created_at", "created", "datetime", "erfasst am (UTC)"),
    Field("updated_at", "updated", "datetime", "zuletzt geändert (UTC)"),
]
_COORDS = [
    Field("lat", "lat", "float", "Breite WGS84 eines Punkts auf der Geometrie"),
    Field("lon", "lon", "float", "Länge WGS84 eines Punkts auf der Geometrie"),
    Field("easting", "easting", "float", "Rechtswert EPSG:25832 (m)"),
    Field("northing", "northing", "float", "Hochwert EPSG:25832 (m)"),
]
_PHOTOS = Field("photos", "photos", "json", "Fotos (JSON: id, sha256, width, height, position)")

FINDING_FIELDS = _COMMON_HEAD + [
    Field("description", "descr", "text", "Beschreibung"),
    Field("urgency", "urgency", "int", "Dringlichkeit 1..5"),
    Field("confirmations", "confirms", "int", "Bestätigungen (+1)"),
    Field("walk", "walk", "text", "Ortsbegehung"),
    Field("walk_id", "walk_id", "text", "Ortsbegehung (UUID)"),
    Field("concern_id", "concern_id", "text", "Anliegen, zu dem die Fundstelle gehört (UUID)"),
] + _PLACE + [Field("attributes", "attribs", "json", "Antworten auf die Fragen der Kategorie (JSON)")] + _COORDS

CONCERN_FIELDS = _COMMON_HEAD + [
    Field("title", "title", "text", "Titel"),
    Field("summary", "summary", "text", "Zusammenfassung", column="description"),
    Field("findings", "findings", "int", "Anzahl zugeordneter Fundstellen", column="confirmations"),
    Field("duplicate_of", "dupl_of", "text", "Duplikat von Anliegen (UUID)", column="concern_id"),
] + _PLACE + _COORDS

DISTRICT_FIELDS = [
    Field("level", "level", "text", "Ebene: stadtbezirk oder ortsteil"),
    Field("code", "code", "text", "amtliche Nummer"),
    Field("name", "name", "text", "Name"),
    Field("parent_code", "parent", "text", "Nummer des Stadtbezirks eines Ortsteils"),
    Field("approximate", "approx", "int", "1 = genäherte Grenze, nicht amtlich"),
]


def _fields(base: list[Field], selection: Selection) -> list[Field]:
    return base + [_PHOTOS] if selection.include_photos else list(base)


def _query(sql: str, fields: list[Field], where: str = "") -> str:
    """The layer's rows: only its fields' columns, so PostGIS skips the geometry texts other
    formats need (GeoJSON in two systems), JSON as text (not parsed and encoded again), and the
    geometry as WKB in the selection's srid."""
    kinds = {field.source: field.kind for field in fields}
    columns = "".join(f"CAST(q.{name} AS text) AS {name}, " if kind == "json" else f"q.{name}, "
                      for name, kind in kinds.items())
    return f"SELECT {columns}ST_AsBinary(ST_GeomFromText(q.geom_wkt)) AS wkb FROM ({sql}) AS q {where}"


def layers(session, selection: Selection) -> list[Layer]:
    """The layers of the selection, in order; empty layers are kept so the schema is stable."""
    result = []
    if selection.what in ("findings", "both"):
        sql, params = finding_rows_sql(selection)
        for name, kind, label in (("findings_points", "Point", "Punkte"),
                                  ("findings_lines", "LineString", "Linien")):
            fields = _fields(FINDING_FIELDS, selection)
            result.append(Layer(name, f"Fundstellen ({label})",
                                f"Fundstellen der Ortsbegehungen, als {label} (ohne personenbezogene Daten)",
                                kind, fields, session,
                                _query(sql, fields, f"WHERE q.geometry_type = '{kind}'"), params))
    if selection.what in ("concerns", "both"):
        sql, params = concern_rows_sql(selection)
        fields = _fields(CONCERN_FIELDS, selection)
        result.append(Layer("concerns", "Anliegen", "Anliegen der Teams, je aus einer oder mehreren Fundstellen",
                            "Point", fields, session, _query(sql, fields), params))
    result.append(district_layer(session, selection))
    return result


def district_layer(session, selection: Selection) -> Layer:
    """Stadtbezirke and Ortsteile: the selected district and its Ortsteile, or all of them."""
    where, params = "", {"srid": selection.srid}
    if selection.district:
        where = ("WHERE :district IN (d.code, p.code) OR lower(:district) IN (lower(d.name), lower(p.name))")
        params["district"] = selection.district.strip()
    sql = f"""
        SELECT d.level, d.code, d.name, p.code AS parent_code, d.approximate::int AS approximate,
               ST_AsBinary(ST_Multi(ST_Transform(d.geom, CAST(:srid AS int)))) AS wkb
        FROM districts d LEFT JOIN districts p ON p.id = d.parent_id
        {where}
        ORDER BY d.level DESC, d.code"""
    return Layer("districts", "Stadtbezirke und Ortsteile", "Grenzen der Stadtbezirke und Ortsteile Duisburgs",
                 "MultiPolygon", DISTRICT_FIELDS, session, sql, params)


def crs(selection: Selection) -> str:
    return f"EPSG:{selection.srid}"
