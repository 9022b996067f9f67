"""The layers the GIS exports (GeoPackage, Shapefile) share, read from PostGIS in column batches.

Findings are split by geometry type into ``findings_points`` and ``findings_lines``: a
GeoPackage or Shapefile layer holds one geometry type, and QGIS opens typed layers
directly (a generic geometry layer makes it ask which sub-layer to load). Their answers to
the category questions are the table ``finding_answers`` (no geometry; ``finding_id`` joins
it to the findings). Concerns are points; ``walks`` are the walks' meeting points (NULL
when none was planned) and ``walk_routes`` their planned routes; ``districts`` are the
boundaries the selection touches (MultiPolygon).

Geometry comes out of PostGIS already in the selection's SRID as WKB; Python only packs
the rows, a batch at a time, into columns; each format turns them into its writer's types.
Each field has a title and a description: the GeoPackage stores them as the columns' alias
and comment, the Shapefile zip lists them in ``fields.csv``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import text

from mapapp.exports.selection import (
    Selection, answer_rows_sql, concern_rows_sql, finding_rows_sql, walk_rows_sql,
)
from mapapp.db import tune_for_bulk_reads
from mapapp.exports.times import LOCAL_SUFFIX, local_sql
from mapapp.statuses import CONCERN_STATUSES

BATCH_ROWS = 5000  # rows per write: exports of any size in bounded memory


@dataclass(frozen=True)
class Field:
    """One attribute: ``column`` of the selection rows, written as ``name`` (``short`` in a
    Shapefile), shown as ``title`` and explained by ``description``."""

    name: str
    short: str
    kind: str  # text | int | float | datetime | json
    title: str
    description: str
    column: str = ""
    sql: str = ""  # made in PostGIS from the row ``q`` (then read as ``name``)

    @property
    def source(self) -> str:
        return self.column or self.name


def local_field(column: str, short: str, title: str) -> Field:
    """The Duisburg-time twin of the UTC datetime field ``column``, as text (mapapp/exports/times.py)."""
    return Field(column + LOCAL_SUFFIX, short, "text", f"{title} (Ortszeit)",
                 f"{title}, Duisburger Zeit mit Abstand zu UTC: +01:00 MEZ, +02:00 MESZ "
                 "(z. B. 2026-03-02 00:30:00+01:00)", sql=local_sql(f"q.{column}"))


@dataclass
class Batch:
    """Up to ``BATCH_ROWS`` rows of a layer, by column, with their WKB geometries (``None``
    for a table without geometry; an element is ``None`` where a row has none)."""

    geometries: np.ndarray | None
    columns: dict[str, tuple]
    rows: int

    def __len__(self) -> int:
        return self.rows


@dataclass
class Layer:
    """A layer to write; its rows are read from PostGIS in batches when written.
    ``geometry_type`` None: a table without geometry. ``counted``: its rows count as progress
    (findings and concerns, as :func:`mapapp.exports.selection.count_rows` counts them)."""

    name: str
    title: str
    description: str
    geometry_type: str | None
    fields: list[Field]
    session: object
    sql: str
    params: dict
    counted: bool = False

    def batches(self, size: int | None = None):
        """Yield the rows in batches through a server-side cursor; always at least one batch."""
        size = size or BATCH_ROWS
        tune_for_bulk_reads(self.session)
        result = self.session.execute(
            text(self.sql).execution_options(stream_results=True, yield_per=size), self.params
        )
        names = list(result.keys())
        empty = True
        for chunk in result.partitions(size):
            columns = dict(zip(names, zip(*chunk)))
            empty = False
            yield Batch(self._geometries(columns), columns, len(chunk))
        if empty:
            yield Batch(self._geometries({"wkb": ()}), {name: () for name in names}, 0)

    def _geometries(self, columns: dict) -> np.ndarray | None:
        if self.geometry_type is None:
            return None
        return np.array([None if wkb is None else bytes(wkb) for wkb in columns.pop("wkb")], dtype=object)


_STATUS = "Bearbeitungsstand als Kürzel: " + ", ".join(CONCERN_STATUSES)
_COMMON_HEAD = [
    Field("id", "id", "text", "ID", "Kennung (UUID)"),
    Field("category", "category", "text", "Kategorie (Kürzel)", "Kategorie als Kürzel"),
    Field("category_label", "cat_label", "text", "Kategorie", "Kategorie, deutscher Name"),
    Field("status", "status", "text", "Status (Kürzel)", _STATUS),
    Field("status_label", "stat_label", "text", "Bearbeitungsstand", "Bearbeitungsstand, deutsch"),
]
_DISTRICTS = [
    Field("ortsteil", "ortsteil", "text", "Ortsteil", "Ortsteil, in dem der Ort liegt"),
    Field("ortsteil_code", "ot_code", "text", "Ortsteil-Nummer", "amtliche Nummer des Ortsteils"),
    Field("stadtbezirk", "stadtbez", "text", "Stadtbezirk", "Stadtbezirk, in dem der Ort liegt"),
    Field("stadtbezirk_code", "sb_code", "text", "Stadtbezirk-Nummer", "amtliche Nummer des Stadtbezirks"),
]
_PLACE = _DISTRICTS + [
    Field("created_at", "created", "datetime", "erfasst am", "erfasst am (UTC)"),
    Field("updated_at", "updated", "datetime", "geändert am", "zuletzt geändert (UTC)"),
    local_field("created_at", "created_l", "erfasst am"),
    local_field("updated_at", "updated_l", "geändert am"),
]
_COORDS = [
    Field("lat", "lat", "float", "Breite", "Breite WGS84 eines Punkts auf der Geometrie"),
    Field("lon", "lon", "float", "Länge", "Länge WGS84 eines Punkts auf der Geometrie"),
    Field("easting", "easting", "float", "Rechtswert", "Rechtswert EPSG:25832 (m) desselben Punkts"),
    Field("northing", "northing", "float", "Hochwert", "Hochwert EPSG:25832 (m) desselben Punkts"),
]
PHOTOS = Field("photos", "photos", "json", "Fotos", "Fotos (JSON: id, sha256, width, height, position)")

FINDING_FIELDS = _COMMON_HEAD + [
    Field("description", "descr", "text", "Beschreibung", "Beschreibung der Teilnehmenden"),
    Field("urgency", "urgency", "int", "Dringlichkeit", "Dringlichkeit 1 (gering) bis 5 (sehr dringend)"),
    Field("accuracy_m", "accuracy", "float", "Genauigkeit (m)",
          "Genauigkeit des Standorts in Metern, wie das Gerät sie meldete (leer: auf der Karte gesetzt)"),
    Field("confirmations", "confirms", "int", "Bestätigungen", "Anzahl der +1 anderer Teilnehmender"),
    Field("walk", "walk", "text", "Ortsbegehung", "Titel der Ortsbegehung"),
    Field("walk_id", "walk_id", "text", "Ortsbegehung (ID)", "Ortsbegehung (UUID, siehe Ebene walks)"),
    Field("concern_id", "concern_id", "text", "Anliegen (ID)",
          "Anliegen, zu dem die Fundstelle gehört (UUID, siehe Ebene concerns)"),
] + _PLACE + _COORDS

CONCERN_FIELDS = _COMMON_HEAD + [
    Field("title", "title", "text", "Titel", "Titel des Anliegens"),
    Field("summary", "summary", "text", "Zusammenfassung", "Zusammenfassung des Teams", column="description"),
    Field("findings_count", "findings_n", "int", "Fundstellen", "Anzahl der Fundstellen des Anliegens"),
    Field("people", "people", "int", "Personen",
          "Anzahl verschiedener Personen, die eine seiner Fundstellen meldeten oder bestätigten"),
    Field("duplicate_of", "dupl_of", "text", "Duplikat von", "Anliegen, das dieses doppelt meldet (UUID)"),
] + _PLACE + _COORDS

WALK_FIELDS = [
    Field("id", "id", "text", "ID", "Kennung der Ortsbegehung (UUID)"),
    Field("title", "title", "text", "Titel", "Titel der Ortsbegehung"),
    Field("topic", "topic", "text", "Thema", "Thema der Ortsbegehung"),
    Field("description", "descr", "text", "Beschreibung", "Ankündigungstext"),
    Field("starts_at", "starts", "datetime", "Beginn", "Beginn (UTC)"),
    Field("ends_at", "ends", "datetime", "Ende", "Ende (UTC)"),
    local_field("starts_at", "starts_l", "Beginn"),
    local_field("ends_at", "ends_l", "Ende"),
] + _DISTRICTS + [
    Field("findings_count", "findings_n", "int", "Fundstellen", "Anzahl der Fundstellen der Ortsbegehung"),
    Field("route_length_m", "route_m", "float", "Weglänge (m)", "Länge des geplanten Wegs in Metern"),
]
WALK_ROUTE_FIELDS = [
    Field("walk_id", "walk_id", "text", "Ortsbegehung (ID)", "Ortsbegehung (UUID, siehe Ebene walks)",
          column="id"),
    Field("title", "title", "text", "Titel", "Titel der Ortsbegehung"),
    Field("starts_at", "starts", "datetime", "Beginn", "Beginn (UTC)"),
    local_field("starts_at", "starts_l", "Beginn"),
    Field("route_length_m", "route_m", "float", "Weglänge (m)", "Länge des geplanten Wegs in Metern"),
]
ANSWER_FIELDS = [
    Field("finding_id", "finding_id", "text", "Fundstelle (ID)",
          "Fundstelle (UUID, siehe Ebenen findings_points und findings_lines)"),
    Field("category", "category", "text", "Kategorie (Kürzel)", "Kategorie der Fundstelle als Kürzel"),
    Field("question", "question", "text", "Frage (Kürzel)", "Frage der Kategorie als Kürzel"),
    Field("question_label", "q_label", "text", "Frage", "Frage, deutscher Text"),
    Field("datatype", "datatype", "text", "Antworttyp",
          "singlevaluelist, multivaluelist (eine Zeile je gewählter Antwort), number, datetime, string, text"),
    Field("answer", "answer", "text", "Antwort (Kürzel)", "Antwort, wie gespeichert (bei Auswahl das Kürzel)"),
    Field("answer_label", "a_label", "text", "Antwort", "Antwort, deutscher Text"),
    Field("answer_number", "a_number", "float", "Antwort (Zahl)", "die Antwort als Zahl, bei Zahlenfragen"),
]
DISTRICT_FIELDS = [
    Field("level", "level", "text", "Ebene", "Ebene: stadtbezirk oder ortsteil"),
    Field("code", "code", "text", "Nummer", "amtliche Nummer"),
    Field("name", "name", "text", "Name", "Name"),
    Field("parent_code", "parent", "text", "Stadtbezirk-Nummer", "Nummer des Stadtbezirks eines Ortsteils"),
    Field("approximate", "approx", "int", "genähert", "1 = genäherte Grenze, nicht amtlich"),
]


def _fields(base: list[Field], selection: Selection) -> list[Field]:
    return base + [PHOTOS] if selection.include_photos else list(base)


def _query(sql: str, fields: list[Field], where: str = "",
           wkb: str | None = "ST_AsBinary(ST_GeomFromText(q.geom_wkt))") -> str:
    """The layer's rows: only its fields' columns, so PostGIS skips the geometry texts other
    formats need (GeoJSON in two systems), JSON as text (not parsed and encoded again), and
    the geometry as WKB in the selection's srid (``wkb``: its SQL; None for a table)."""
    kinds = {field.source: field.kind for field in fields if not field.sql}
    columns = [f"CAST(q.{name} AS text) AS {name}" if kind == "json" else f"q.{name}"
               for name, kind in kinds.items()]
    columns += [f"{field.sql} AS {field.name}" for field in fields if field.sql]
    if wkb:
        columns.append(f"{wkb} AS wkb")
    return f"SELECT {', '.join(columns)} FROM ({sql}) AS q {where}"


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
                                _query(sql, fields, f"WHERE q.geometry_type = '{kind}'"), params, counted=True))
        sql, params = answer_rows_sql(selection)
        result.append(Layer("finding_answers", "Antworten der Fundstellen",
                            "Antworten der Fundstellen auf die Fragen ihrer Kategorie, je Antwort eine Zeile "
                            "(finding_id = id der Fundstelle)", None, ANSWER_FIELDS, session,
                            _query(sql, ANSWER_FIELDS, wkb=None), params))
    if selection.what in ("concerns", "both"):
        sql, params = concern_rows_sql(selection)
        fields = _fields(CONCERN_FIELDS, selection)
        result.append(Layer("concerns", "Anliegen", "Anliegen der Teams, je aus einer oder mehreren Fundstellen",
                            "Point", fields, session, _query(sql, fields), params, counted=True))
    result.extend(walk_layers(session, selection))
    result.append(district_layer(session, selection))
    return result


def walk_layers(session, selection: Selection) -> list[Layer]:
    """The walks of the selection: meeting points (``walks``) and planned routes (``walk_routes``)."""
    sql, params = walk_rows_sql(selection)
    return [
        Layer("walks", "Ortsbegehungen", "Ortsbegehungen mit Treffpunkt (leer, wenn keiner geplant ist) und Terminen",
              "Point", WALK_FIELDS, session, _query(sql, WALK_FIELDS, wkb="q.meeting_wkb"), params),
        Layer("walk_routes", "Wege der Ortsbegehungen", "Geplante Wege der Ortsbegehungen", "LineString",
              WALK_ROUTE_FIELDS, session,
              _query(sql, WALK_ROUTE_FIELDS, "WHERE q.route_wkb IS NOT NULL", wkb="q.route_wkb"), params),
    ]


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
