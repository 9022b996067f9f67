"""Districts at a glance: findings and concerns per district, density per km², findings per walk.

No Flask here. Every figure is counted in PostGIS (GROUP BY, JSON aggregation), one query
per function; Python only passes the filters in and reads the result.

Filters, all optional: the finding filter (``filter=`` a ``mapapp.findings.filters.FindingFilter``,
or its fields as keywords: ``walk_id=``, ``date_from=`` …, days in Duisburg's time);
``visible_categories`` (None = all, as ``mapapp.review.access.visible_categories`` returns).
A concern counts when its category is visible and, with a filter, at least one of its findings
passes it (a concern made from nothing but team notes then drops out, as it belongs to no walk).
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import filters as finding_filters
from mapapp.errors import ValidationFailed
from mapapp.findings.filters import FindingFilter
from mapapp.db.schema.districts import LEVELS
from mapapp.statuses import CONCERN_STATUSES


def _filters(flt: FindingFilter, visible_categories) -> tuple[str, str, dict]:
    """WHERE clauses for ``findings f`` and ``concerns c``, and their parameters.

    A concern counts when its category is visible and, with a filter, one of its findings
    ``m`` passes it.
    """
    finding, params = finding_filters.where_sql(flt, "f", concern=None)
    concern = []
    params["visible"] = None if visible_categories is None else list(visible_categories)
    if visible_categories is not None:
        finding += " AND f.category_slug = ANY(CAST(:visible AS text[]))"
        concern.append("c.category_slug = ANY(CAST(:visible AS text[]))")
    if flt:
        by_finding, _params = finding_filters.where_sql(flt, "m", concern="c")
        concern.append(f"EXISTS (SELECT 1 FROM findings m WHERE m.concern_id = c.id AND {by_finding})")
    return finding, " AND ".join(concern) or "TRUE", params


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValidationFailed("Unknown district level.", {"level": f"one of {', '.join(LEVELS)}"})


def district_table(session: Session, *, level: str, filter: FindingFilter | None = None,
                   visible_categories: list[str] | None = None, **filter_fields) -> dict:
    """Findings per district × category and concerns per district × status, with totals.

    Rows are the Stadtbezirke; with ``level='ortsteil'`` each is followed by its Ortsteile (so a
    Stadtbezirk row is the subtotal of its Ortsteile plus what lies in none of them). Returns::

        {"level", "statuses": [...], "categories": [{slug, label_de, label_en, icon}],
         "rows": [{id, level, code, name, parent_id, findings: {slug: n}, findings_total,
                   concerns: {status: n}, concerns_total}],
         "totals": {findings: {slug: n}, findings_total, concerns: {status: n}, concerns_total}}

    Count maps list only non-zero entries. Totals are over the Stadtbezirke. Columns are the
    visible active categories, plus any inactive one that has findings here.
    """
    _check_level(level)
    flt = finding_filters.as_filter(filter, **filter_fields)
    finding_where, concern_where, params = _filters(flt, visible_categories)
    params |= {"level": level, "all_statuses": list(CONCERN_STATUSES)}
    return session.execute(text(f"""
        WITH f AS (
            SELECT f.category_slug, f.stadtbezirk_id, f.ortsteil_id FROM findings f WHERE {finding_where}
        ),
        c AS (
            SELECT c.status, c.stadtbezirk_id, c.ortsteil_id FROM concerns c WHERE {concern_where}
        ),
        f_at AS (   -- each finding once under its Stadtbezirk and, on level ortsteil, its Ortsteil
            SELECT f.category_slug, x.district_id FROM f
            CROSS JOIN LATERAL (VALUES (f.stadtbezirk_id),
                (CASE WHEN :level = 'ortsteil' THEN f.ortsteil_id END)) AS x (district_id)
            WHERE x.district_id IS NOT NULL
        ),
        c_at AS (
            SELECT c.status, x.district_id FROM c
            CROSS JOIN LATERAL (VALUES (c.stadtbezirk_id),
                (CASE WHEN :level = 'ortsteil' THEN c.ortsteil_id END)) AS x (district_id)
            WHERE x.district_id IS NOT NULL
        ),
        f_counts AS (
            SELECT district_id, json_object_agg(category_slug, n) AS by_key, sum(n) AS total
            FROM (SELECT district_id, category_slug, count(*) AS n FROM f_at GROUP BY 1, 2) AS per
            GROUP BY district_id
        ),
        c_counts AS (
            SELECT district_id, json_object_agg(status, n) AS by_key, sum(n) AS total
            FROM (SELECT district_id, status, count(*) AS n FROM c_at GROUP BY 1, 2) AS per
            GROUP BY district_id
        ),
        shown AS (
            SELECT d.id, d.level, d.code, d.name, d.parent_id,
                   CASE WHEN d.level = 'stadtbezirk' THEN d.code ELSE sb.code END AS sb_code
            FROM districts d LEFT JOIN districts sb ON sb.id = d.parent_id
            WHERE d.level = 'stadtbezirk' OR (:level = 'ortsteil' AND d.level = 'ortsteil')
        )
        SELECT json_build_object(
            'level', CAST(:level AS text),
            'statuses', CAST(:all_statuses AS text[]),
            'categories', (
                SELECT COALESCE(json_agg(json_build_object('slug', k.slug, 'label_de', k.label_de,
                                 'label_en', k.label_en, 'icon', k.icon) ORDER BY k.sort, k.slug), '[]')
                FROM categories k
                WHERE (CAST(:visible AS text[]) IS NULL OR k.slug = ANY(CAST(:visible AS text[])))
                  AND (k.active OR k.slug IN (SELECT category_slug FROM f))
            ),
            'rows', (
                SELECT COALESCE(json_agg(json_build_object(
                    'id', s.id, 'level', s.level, 'code', s.code, 'name', s.name, 'parent_id', s.parent_id,
                    'findings', COALESCE(fc.by_key, '{{}}'), 'findings_total', COALESCE(fc.total, 0),
                    'concerns', COALESCE(cc.by_key, '{{}}'), 'concerns_total', COALESCE(cc.total, 0)
                ) ORDER BY s.sb_code IS NULL, length(s.sb_code), s.sb_code, s.level <> 'stadtbezirk',
                           length(s.code), s.code), '[]')
                FROM shown s
                LEFT JOIN f_counts fc ON fc.district_id = s.id
                LEFT JOIN c_counts cc ON cc.district_id = s.id
            ),
            'totals', json_build_object(
                'findings', (SELECT COALESCE(json_object_agg(category_slug, n), '{{}}') FROM (
                    SELECT category_slug, count(*) AS n FROM f WHERE stadtbezirk_id IS NOT NULL
                    GROUP BY 1) AS t),
                'findings_total', (SELECT count(*) FROM f WHERE stadtbezirk_id IS NOT NULL),
                'concerns', (SELECT COALESCE(json_object_agg(status, n), '{{}}') FROM (
                    SELECT status, count(*) AS n FROM c WHERE stadtbezirk_id IS NOT NULL GROUP BY 1) AS t),
                'concerns_total', (SELECT count(*) FROM c WHERE stadtbezirk_id IS NOT NULL)
            )
        )
    """), params).scalar_one()


def density_geojson(session: Session, *, level: str, filter: FindingFilter | None = None,
                    visible_categories: list[str] | None = None, **filter_fields) -> str:
    """A FeatureCollection of the districts of ``level`` with findings per km².

    Each Feature has ``id`` (the district's) and properties ``id, code, name, level, findings,
    area_km2, density`` (findings / km², area in EPSG:25832); the collection has a ``bbox``
    ``[west, south, east, north]`` (null without districts).
    """
    _check_level(level)
    flt = finding_filters.as_filter(filter, **filter_fields)
    finding_where, _concern_where, params = _filters(flt, visible_categories)
    params["level"] = level
    return session.execute(text(f"""
        WITH counts AS (
            SELECT CASE WHEN :level = 'ortsteil' THEN f.ortsteil_id ELSE f.stadtbezirk_id END AS district_id,
                   count(*) AS n
            FROM findings f WHERE {finding_where} GROUP BY 1
        ),
        d AS (
            SELECT d.id, d.code, d.name, d.geom, COALESCE(counts.n, 0) AS findings,
                   ST_Area(ST_Transform(d.geom, 25832)) / 1e6 AS area_km2
            FROM districts d LEFT JOIN counts ON counts.district_id = d.id
            WHERE d.level = :level
        )
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'bbox', (SELECT CASE WHEN e IS NOT NULL
                             THEN json_build_array(ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)) END
                     FROM (SELECT ST_Extent(geom) AS e FROM d) AS extent),
            'features', COALESCE(json_agg(json_build_object(
                'type', 'Feature', 'id', d.id,
                'geometry', ST_AsGeoJSON(d.geom, 6)::json,
                'properties', json_build_object(
                    'id', d.id, 'code', d.code, 'name', d.name, 'level', CAST(:level AS text),
                    'findings', d.findings, 'area_km2', d.area_km2,
                    'density', CASE WHEN d.area_km2 > 0 THEN d.findings / d.area_km2 ELSE 0 END)
            ) ORDER BY length(d.code), d.code), '[]')
        )::text
        FROM d
    """), params).scalar_one()


def findings_per_walk(session: Session, *, filter: FindingFilter | None = None,
                      visible_categories: list[str] | None = None, **filter_fields) -> list[dict]:
    """``[{walk_id, title, starts_at, findings}]`` ordered by when the walk starts.

    Every walk is listed (also with 0 findings); with a date range, only walks that have
    findings in it or start within it.
    """
    flt = finding_filters.as_filter(filter, **filter_fields)
    finding_where, _concern_where, params = _filters(flt, visible_categories)
    params["walk_id"] = None if flt.walk_id is None else str(flt.walk_id)
    having = ""
    if flt.date_from or flt.date_to:
        days = FindingFilter(date_from=flt.date_from, date_to=flt.date_to)
        having = f"HAVING count(f.id) > 0 OR ({finding_filters.where_sql(days, 'w', created='w.starts_at')[0]})"
    rows = session.execute(text(f"""
        SELECT w.id AS walk_id, w.title, w.starts_at, count(f.id) AS findings
        FROM walks w
        LEFT JOIN findings f ON f.walk_id = w.id AND {finding_where}
        WHERE CAST(:walk_id AS uuid) IS NULL OR w.id = CAST(:walk_id AS uuid)
        GROUP BY w.id {having}
        ORDER BY w.starts_at NULLS LAST, w.title, w.id
    """), params).mappings()
    return [dict(row) for row in rows]
