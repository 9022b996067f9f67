"""District boundaries: importing them from files and serving them as GeoJSON.

Reading a file is pyogrio's job (GeoJSON, GeoPackage, Shapefile, Esri JSON…);
reprojection, repair and the assignment of findings happen in PostGIS.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pyogrio import raw as ogr
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.config import project_dir
from mapapp.errors import ValidationFailed
from mapapp.db.schema.districts import LEVELS

DEFAULT_FILES = {
    "stadtbezirk": "stadtbezirke.geojson",
    "ortsteil": "ortsteile.geojson",
}


class ImportRefused(ValidationFailed):
    """The file cannot be imported as it is; the message names the feature."""


@dataclass
class ImportReport:
    level: str
    imported: int = 0
    removed: int = 0
    repaired: list[str] = field(default_factory=list)
    findings_reassigned: int = 0


def file_srid(crs: str | None, override: int | None = None) -> int:
    """Return the EPSG code of a file's CRS as pyogrio reports it."""
    if override:
        return override
    if not crs or crs in ("OGC:CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84"):
        return 4326
    match = re.fullmatch(r"EPSG:(\d+)", crs)
    if not match:
        raise ImportRefused(f"cannot tell the EPSG code of the file's CRS ({crs[:80]}); give --srid")
    return int(match.group(1))


def read_features(path: Path, name_field: str, code_field: str, parent_code_field: str | None):
    """Return the file's SRID and its features as (label, name, code, parent_code, wkb)."""
    try:
        meta, _fids, geometries, values = ogr.read(path)
    except Exception as exc:  # pyogrio raises several DataSource/DataLayer errors
        raise ImportRefused(f"cannot read {path}: {exc}") from exc
    columns = {name: i for i, name in enumerate(meta["fields"])}
    for wanted in filter(None, (name_field, code_field, parent_code_field)):
        if wanted not in columns:
            raise ImportRefused(f"the file has no field '{wanted}' (it has: {', '.join(columns)})")

    def column(name):
        return values[columns[name]] if name else [None] * len(geometries)

    rows = []
    names, codes, parents = column(name_field), column(code_field), column(parent_code_field)
    for index, (name, code, parent, wkb) in enumerate(zip(names, codes, parents, geometries)):
        label = f"feature #{index + 1} ({name})"
        if wkb is None:
            raise ImportRefused(f"{label} has no geometry")
        if name is None or str(name).strip() == "" or code is None or str(code).strip() == "":
            raise ImportRefused(f"{label} lacks a name or code")
        rows.append((label, str(name).strip(), _code(code), _code(parent), bytes(wkb)))
    if not rows:
        raise ImportRefused(f"{path} holds no features")
    return meta.get("crs"), rows


def _code(value) -> str | None:
    """Return a district code as text: 402.0 and "402" both become "402"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _stage(session: Session, rows, srid: int) -> list[str]:
    """Load the features into a temporary table in EPSG:4326; return the repairs made."""
    session.execute(text("""
        CREATE TEMP TABLE district_import (
            label text, name text, code text, parent_code text, geom geometry
        ) ON COMMIT DROP
    """))
    session.execute(
        text("""INSERT INTO district_import
                VALUES (:label, :name, :code, :parent, ST_SetSRID(ST_GeomFromWKB(:wkb), :srid))"""),
        [dict(label=l, name=n, code=c, parent=p, wkb=w, srid=srid) for l, n, c, p, w in rows],
    )
    wrong_type = session.execute(text("""
        SELECT label, GeometryType(geom) FROM district_import
        WHERE GeometryType(geom) NOT IN ('POLYGON', 'MULTIPOLYGON') LIMIT 1
    """)).first()
    if wrong_type:
        raise ImportRefused(f"{wrong_type[0]} is a {wrong_type[1]}, not a polygon")
    repaired = session.execute(text("""
        SELECT label || ': ' || ST_IsValidReason(geom) FROM district_import WHERE NOT ST_IsValid(geom)
    """)).scalars().all()
    # Repair in the file's own CRS first: reprojecting a degenerate ring can bend it
    # into a sliver that passes as valid.
    session.execute(text("""
        UPDATE district_import
        SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(
            ST_Transform(ST_CollectionExtract(ST_MakeValid(geom), 3), 4326)), 3))
    """))
    broken = session.execute(text("""
        SELECT label FROM district_import WHERE geom IS NULL OR ST_IsEmpty(geom) OR NOT ST_IsValid(geom)
    """)).scalars().first()
    if broken:
        raise ImportRefused(f"{broken} has a geometry that cannot be repaired")
    duplicate = session.execute(text("""
        SELECT code FROM district_import GROUP BY code HAVING count(*) > 1 LIMIT 1
    """)).scalar()
    if duplicate:
        raise ImportRefused(f"the code '{duplicate}' occurs more than once")
    return repaired


def _replace(session: Session, level: str, approximate: bool, source: str) -> tuple[int, int]:
    removed = session.execute(
        text("DELETE FROM districts WHERE level = :level AND code NOT IN (SELECT code FROM district_import)"),
        {"level": level},
    ).rowcount
    imported = session.execute(
        text("""
            INSERT INTO districts (level, code, name, geom, approximate, source)
            SELECT :level, code, name, geom, :approximate, :source FROM district_import
            ON CONFLICT (level, code) DO UPDATE
            SET name = EXCLUDED.name, geom = EXCLUDED.geom,
                approximate = EXCLUDED.approximate, source = EXCLUDED.source
        """),
        {"level": level, "approximate": approximate, "source": source},
    ).rowcount
    return imported, removed


def _link_parents(session: Session, level: str, by_code: bool) -> None:
    """Point each Ortsteil at its Stadtbezirk: by the given code, else by location."""
    if level == "ortsteil" and by_code:
        missing = session.execute(text("""
            SELECT i.label || ' names Stadtbezirk ''' || coalesce(i.parent_code, '') || ''''
            FROM district_import i
            LEFT JOIN districts p ON p.level = 'stadtbezirk' AND p.code = i.parent_code
            WHERE p.id IS NULL LIMIT 1
        """)).scalar()
        if missing:
            raise ImportRefused(f"{missing}, which is not loaded; import the Stadtbezirke first")
        session.execute(text("""
            UPDATE districts o SET parent_id = p.id
            FROM district_import i JOIN districts p ON p.level = 'stadtbezirk' AND p.code = i.parent_code
            WHERE o.level = 'ortsteil' AND o.code = i.code
        """))
    session.execute(text("""
        UPDATE districts o SET parent_id = (
            SELECT p.id FROM districts p
            WHERE p.level = 'stadtbezirk' AND ST_Covers(p.geom, ST_PointOnSurface(o.geom))
            ORDER BY p.id LIMIT 1)
        WHERE o.level = 'ortsteil' AND (o.parent_id IS NULL OR :relink_all)
    """), {"relink_all": level == "ortsteil" and not by_code})


def reassign_findings(session: Session) -> int:
    """Recompute every finding's districts; the findings trigger does the ST_Covers work."""
    return session.execute(text("UPDATE findings SET geom = geom")).rowcount


def import_file(
    session: Session, path: Path, level: str, name_field: str, code_field: str,
    parent_code_field: str | None = None, srid: int | None = None, approximate: bool = False,
) -> ImportReport:
    """Replace the districts of ``level`` with those in ``path``, all in one transaction."""
    if level not in LEVELS:
        raise ImportRefused(f"level must be one of {', '.join(LEVELS)}", {"level": level})
    crs, rows = read_features(Path(path), name_field, code_field, parent_code_field)
    report = ImportReport(level)
    try:
        report.repaired = _stage(session, rows, file_srid(crs, srid))
        report.imported, report.removed = _replace(session, level, approximate, Path(path).name)
        _link_parents(session, level, by_code=bool(parent_code_field))
        report.findings_reassigned = reassign_findings(session)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return report


def load_default(session: Session, replace: bool = False) -> list[ImportReport]:
    """Load the approximate boundaries shipped in ``geodata/`` unless districts exist."""
    count = session.execute(text("SELECT count(*) FROM districts")).scalar_one()
    if count and not replace:
        return []
    geodata = project_dir() / "geodata"
    return [
        import_file(session, geodata / DEFAULT_FILES["stadtbezirk"], "stadtbezirk", "name", "code",
                    approximate=True),
        import_file(session, geodata / DEFAULT_FILES["ortsteil"], "ortsteil", "name", "code",
                    "parent_code", approximate=True),
    ]


def districts_geojson(session: Session, level: str) -> str:
    """Return the districts of ``level`` with finding counts per category (JSON text)."""
    return session.execute(
        text("""
            WITH counts AS (
                SELECT district_id, category_slug, count(*) AS n
                FROM findings f
                CROSS JOIN LATERAL (VALUES (f.ortsteil_id), (f.stadtbezirk_id)) AS d(district_id)
                WHERE district_id IS NOT NULL
                GROUP BY district_id, category_slug
            ), per_district AS (
                SELECT district_id, sum(n)::int AS total, json_object_agg(category_slug, n) AS by_category
                FROM counts GROUP BY district_id
            )
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'features', COALESCE(json_agg(json_build_object(
                    'type', 'Feature',
                    'id', d.id,
                    'geometry', ST_AsGeoJSON(d.geom, 6)::json,
                    'properties', json_build_object(
                        'code', d.code, 'name', d.name, 'level', d.level,
                        'parent_code', p.code, 'parent', p.name, 'approximate', d.approximate,
                        'total', COALESCE(c.total, 0),
                        'counts', COALESCE(c.by_category, '{}'::json)
                    )
                ) ORDER BY d.code), '[]'::json)
            )::text
            FROM districts d
            LEFT JOIN districts p ON p.id = d.parent_id
            LEFT JOIN per_district c ON c.district_id = d.id
            WHERE d.level = :level
        """),
        {"level": level},
    ).scalar_one()
