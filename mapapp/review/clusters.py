"""Clusters of findings for the teams' review: the same problem pinned by many people.

Findings are grouped with DBSCAN in PostGIS (``ST_ClusterDBSCAN`` on EPSG:25832, so
``eps_m`` is in metres), separately per category, so a noise pin never joins a cycle path.
Each cluster becomes one Feature whose geometry is the convex hull of its members, widened
a little so that one- or two-point and collinear clusters still show as polygons; findings
left out of every cluster come as their own Features. No Flask here: routes, the benchmark
and tests call the same functions.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.db import tune_for_bulk_reads
from mapapp.findings import FEATURE_SQL, FROM_SQL
from mapapp import finding_filters
from mapapp.finding_filters import FindingFilter

HULL_PADDING_M = 8


@dataclass(frozen=True)
class ClusterQuery:
    """Which findings to cluster and how; ``visible_categories`` None = all the viewer may see."""

    eps_m: float = 40
    min_points: int = 2
    filter: FindingFilter = field(default_factory=FindingFilter)
    visible_categories: tuple[str, ...] | None = None
    include_in_concern: bool = False


def cluster_query(*, eps_m: float = 40, min_points: int = 2, filter: FindingFilter | None = None,
                  visible_categories: list[str] | None = None, include_in_concern: bool = False,
                  **filter_fields) -> ClusterQuery:
    """The ClusterQuery of these keyword arguments: the filter as ``filter``, or as its fields
    (``walk_id=``, ``district=``, ``categories=`` …)."""
    return ClusterQuery(eps_m, min_points, finding_filters.as_filter(filter, **filter_fields),
                        None if visible_categories is None else tuple(visible_categories), include_in_concern)


def _where(query: ClusterQuery) -> tuple[str, dict]:
    """The WHERE clause over ``findings f`` / ``concerns k`` and its parameters."""
    where, params = finding_filters.where_sql(query.filter)
    clauses = [where]
    if not query.include_in_concern:
        clauses.append("f.concern_id IS NULL")
    if query.visible_categories is not None:
        clauses.append("f.category_slug = ANY(:visible_categories)")
        params["visible_categories"] = list(query.visible_categories)
    return " AND ".join(clauses), params


def _groups_sql(query: ClusterQuery) -> tuple[str, dict]:
    """CTEs ending in ``groups``: one row per cluster and per finding outside every cluster.

    The window is ordered so that the cluster numbers, and with them the keys, come out the
    same for the same findings and parameters, not only within one request.
    """
    where, params = _where(query)
    params |= {"eps": float(query.eps_m), "min_points": int(query.min_points)}
    sql = f"""
        WITH base AS (
            SELECT f.id, f.category_slug, f.geom, f.participant_id, f.created_at,
                   f.ortsteil_id, f.stadtbezirk_id, ST_Transform(f.geom, 25832) AS g
            FROM findings f
            LEFT JOIN concerns k ON k.id = f.concern_id
            WHERE {where}
        ),
        labelled AS (
            SELECT b.*, CASE WHEN cid IS NULL THEN b.id::text ELSE b.category_slug || ':' || cid END AS key,
                   cid IS NOT NULL AS in_cluster
            FROM (
                SELECT base.*, ST_ClusterDBSCAN(g, eps := :eps, minpoints := :min_points)
                    OVER (PARTITION BY category_slug ORDER BY created_at, id) AS cid
                FROM base
            ) AS b
        ),
        votes AS (
            SELECT l.key, cf.participant_id FROM labelled l JOIN confirmations cf ON cf.finding_id = l.id
        ),
        people AS (
            SELECT key, count(DISTINCT participant_id) AS n FROM (
                SELECT key, participant_id FROM labelled WHERE participant_id IS NOT NULL
                UNION ALL
                SELECT key, participant_id FROM votes
            ) AS everyone GROUP BY key
        ),
        vote_counts AS (SELECT key, count(*) AS n FROM votes GROUP BY key),
        groups AS (
            SELECT l.key, bool_or(l.in_cluster) AS in_cluster, min(l.category_slug) AS category_slug,
                   count(*) AS n, array_agg(l.id ORDER BY l.created_at, l.id) AS ids,
                   min(l.created_at) AS first_created_at, max(l.created_at) AS last_created_at,
                   ST_ConvexHull(ST_Collect(l.g)) AS hull, (array_agg(l.geom))[1] AS geom,
                   mode() WITHIN GROUP (ORDER BY l.ortsteil_id) AS ortsteil_id,
                   mode() WITHIN GROUP (ORDER BY l.stadtbezirk_id) AS stadtbezirk_id
            FROM labelled l GROUP BY l.key
        )
    """
    return sql, params


def find_clusters(session: Session, **arguments) -> str:
    """Return the clusters and the unclustered findings as a GeoJSON FeatureCollection (JSON text);
    ``arguments`` as :func:`cluster_query` takes them.

    Clusters (``kind: "cluster"``) come first, the biggest first, ties broken by the number
    of distinct participants (authors and those who gave a +1); then the single findings
    (``kind: "finding"``), newest first.
    """
    query = cluster_query(**arguments)
    groups, params = _groups_sql(query)
    params["padding"] = HULL_PADDING_M
    tune_for_bulk_reads(session, "64MB")
    return session.execute(text(f"""
        {groups},
        features AS (
            SELECT gr.in_cluster, gr.n, COALESCE(p.n, 0) AS participants, gr.last_created_at, gr.key,
                json_build_object(
                    'type', 'Feature',
                    'id', gr.key,
                    'geometry', CASE WHEN gr.in_cluster
                        THEN ST_AsGeoJSON(ST_Transform(ST_Buffer(gr.hull, :padding, 'quad_segs=4'), 4326), 7)::json
                        ELSE ST_AsGeoJSON(gr.geom, 7)::json END,
                    'properties', json_build_object(
                        'kind', CASE WHEN gr.in_cluster THEN 'cluster' ELSE 'finding' END,
                        'key', gr.key,
                        'category', gr.category_slug,
                        'category_label', c.label_de,
                        'icon', c.icon,
                        'count', gr.n,
                        'participants', COALESCE(p.n, 0),
                        'confirmations', COALESCE(v.n, 0),
                        'finding_ids', to_json(gr.ids),
                        'first_created_at', gr.first_created_at,
                        'last_created_at', gr.last_created_at,
                        'centroid', json_build_array(round(ST_Y(centre)::numeric, 7), round(ST_X(centre)::numeric, 7)),
                        'ortsteil', o.name,
                        'stadtbezirk', s.name
                    )
                ) AS feature
            FROM groups gr
            CROSS JOIN LATERAL ST_Transform(ST_Centroid(gr.hull), 4326) AS centre
            JOIN categories c ON c.slug = gr.category_slug
            LEFT JOIN people p ON p.key = gr.key
            LEFT JOIN vote_counts v ON v.key = gr.key
            LEFT JOIN districts o ON o.id = gr.ortsteil_id
            LEFT JOIN districts s ON s.id = gr.stadtbezirk_id
        )
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'clusters', count(*) FILTER (WHERE in_cluster),
            'unclustered', count(*) FILTER (WHERE NOT in_cluster),
            'findings', COALESCE(sum(n), 0),
            'features', COALESCE(json_agg(feature ORDER BY in_cluster DESC, n DESC, participants DESC,
                                          last_created_at DESC, key), '[]'::json)
        )::text
        FROM features
    """), params).scalar_one()


def cluster_finding_ids(session: Session, key: str, **filters) -> list[uuid.UUID] | None:
    """Return the ids of the findings in the cluster ``key`` found with the same parameters
    (``filters`` as for :func:`find_clusters`), or None when there is no such cluster."""
    groups, params = _groups_sql(cluster_query(**filters))
    params["key"] = key
    return session.execute(
        text(f"{groups} SELECT ids FROM groups WHERE key = :key AND in_cluster"), params
    ).scalar()


def findings_collection(session: Session, ids: list[uuid.UUID],
                        visible_categories: list[str] | None = None) -> str:
    """Return the findings with these ids (those the viewer may see), oldest first, as a
    FeatureCollection with texts, +1 counts and photo thumbnails (JSON text)."""
    clause, params = "f.id = ANY(:ids)", {"ids": list(ids), "viewer": None}
    if visible_categories is not None:
        clause += " AND f.category_slug = ANY(:visible)"
        params["visible"] = list(visible_categories)
    return session.execute(text(f"""
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'features', COALESCE(json_agg(feature ORDER BY created_at, id), '[]'::json)
        )::text
        FROM (SELECT {FEATURE_SQL} AS feature, f.created_at, f.id {FROM_SQL} WHERE {clause}) AS found
    """), params).scalar_one()
