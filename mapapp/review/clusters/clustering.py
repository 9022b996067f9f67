"""Clusters of findings for the teams' review: the same problem pinned by many people.

Findings are grouped with DBSCAN in PostGIS (``ST_ClusterDBSCAN`` on EPSG:25832, so
``eps_m`` is in metres), separately per category, so a noise pin never joins a cycle path.
Each cluster becomes one Feature whose geometry is the convex hull of its members, widened
a little so that one- or two-point and collinear clusters still show as polygons; findings
left out of every cluster come as their own Features, with only their key and category (the
page loads a finding's texts when it is opened). No Flask here: routes, the benchmark and
tests call the same functions.

The answer is built in one pass over the labelled findings (hulls, counts, people and
+1s per cluster together) and comes in pages of ``limit`` Features (clusters first): the
totals always count everything, ``next_offset`` says where the next page starts.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.db import tune_for_bulk_reads
from mapapp.findings.store import FROM_SQL, TEAM_FEATURE_SQL
from mapapp.findings import filters as finding_filters
from mapapp.findings.filters import FindingFilter

HULL_PADDING_M = 8
PAGE_SIZE = 2000


@dataclass(frozen=True)
class ClusterQuery:
    """Which findings to cluster and how; ``visible_categories`` None = all the viewer may see;
    ``limit``/``offset`` the page of the answer."""

    eps_m: float = 40
    min_points: int = 2
    filter: FindingFilter = field(default_factory=FindingFilter)
    visible_categories: tuple[str, ...] | None = None
    include_in_concern: bool = False
    limit: int = PAGE_SIZE
    offset: int = 0


def cluster_query(*, eps_m: float = 40, min_points: int = 2, filter: FindingFilter | None = None,
                  visible_categories: list[str] | None = None, include_in_concern: bool = False,
                  limit: int = PAGE_SIZE, offset: int = 0, **filter_fields) -> ClusterQuery:
    """The ClusterQuery of these keyword arguments: the filter as ``filter``, or as its fields
    (``walk_id=``, ``district=``, ``categories=`` …)."""
    return ClusterQuery(eps_m, min_points, finding_filters.as_filter(filter, **filter_fields),
                        None if visible_categories is None else tuple(visible_categories), include_in_concern,
                        limit, offset)


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


def _labelled_sql(query: ClusterQuery) -> tuple[str, dict]:
    """CTEs ending in ``labelled``: the findings with their cluster number ``cid`` (NULL: none).

    The window is ordered so that the cluster numbers, and with them the keys, come out the
    same for the same findings and parameters, not only within one request.
    """
    where, params = _where(query)
    params |= {"eps": float(query.eps_m), "min_points": int(query.min_points)}
    sql = f"""
        WITH labelled AS MATERIALIZED (
            SELECT b.*, ST_ClusterDBSCAN(b.g, eps := :eps, minpoints := :min_points)
                OVER (PARTITION BY b.category_slug ORDER BY b.created_at, b.id) AS cid
            FROM (
                SELECT f.id, f.category_slug, f.participant_id, f.created_at, f.ortsteil_id,
                       f.stadtbezirk_id, ST_Transform(f.geom, 25832) AS g
                FROM findings f
                LEFT JOIN concerns k ON k.id = f.concern_id
                WHERE {where}
            ) AS b
        )
    """
    return sql, params


# One pass over the clustered findings: each contributes a row as author and one per +1 (joined
# by hash, not looked up per finding), so the hull, the counts, the people (authors and those who
# gave a +1) and the +1s come from one GROUP BY.
CLUSTERS_SQL = """
    who AS (
        SELECT l.category_slug, l.cid, l.id, l.participant_id AS p, l.g, l.created_at, l.ortsteil_id,
               l.stadtbezirk_id
        FROM labelled l WHERE l.cid IS NOT NULL
        UNION ALL
        SELECT l.category_slug, l.cid, NULL, cf.participant_id, NULL, NULL, NULL, NULL
        FROM labelled l JOIN confirmations cf ON cf.finding_id = l.id WHERE l.cid IS NOT NULL
    ),
    clusters AS (
        SELECT category_slug || ':' || cid AS key, category_slug,
               count(id) AS n, count(*) - count(id) AS votes, count(DISTINCT p) AS participants,
               array_agg(id) FILTER (WHERE id IS NOT NULL) AS ids,
               min(created_at) AS first_created_at, max(created_at) AS last_created_at,
               ST_ConvexHull(ST_Collect(g)) AS hull,
               array_agg(ortsteil_id) FILTER (WHERE id IS NOT NULL) AS ortsteile,
               array_agg(stadtbezirk_id) FILTER (WHERE id IS NOT NULL) AS stadtbezirke
        FROM who
        GROUP BY category_slug, cid
    )
"""

# Clusters come first, so the single findings are read (and sorted) only when the page reaches
# them. A cluster's Ortsteil and Stadtbezirk are the most common among its findings (as mode()
# would give, ties to the smaller id), worked out only for the clusters on the page.
PAGE_SQL = """
    counted AS (SELECT count(*) AS clusters FROM clusters),
    page AS (
        (SELECT true AS in_cluster, key, n, participants, last_created_at AS at, hull AS g, category_slug,
                votes, ids, first_created_at, ortsteile, stadtbezirke
         FROM clusters
         ORDER BY n DESC, participants DESC, at DESC, key
         LIMIT :limit OFFSET :offset)
        UNION ALL
        (SELECT false, id::text, 1, 0, created_at, g, category_slug, NULL, NULL, NULL, NULL, NULL
         FROM labelled WHERE cid IS NULL
         ORDER BY created_at DESC, id::text
         LIMIT GREATEST(0, LEAST(:limit, :offset + :limit - (SELECT clusters FROM counted)))
         OFFSET GREATEST(0, :offset - (SELECT clusters FROM counted)))
    ), features AS (
        SELECT p.in_cluster, p.n, p.participants, p.at, p.key, CASE WHEN p.in_cluster THEN json_build_object(
            'type', 'Feature', 'id', p.key,
            'geometry', ST_AsGeoJSON(ST_Transform(ST_Buffer(p.g, :padding, 'quad_segs=4'), 4326), 7)::json,
            'properties', json_build_object(
                'kind', 'cluster', 'key', p.key, 'category', p.category_slug, 'count', p.n,
                'participants', p.participants, 'confirmations', p.votes, 'finding_ids', to_json(p.ids),
                'first_created_at', p.first_created_at, 'last_created_at', p.at,
                'centroid', json_build_array(round(ST_Y(centre)::numeric, 7), round(ST_X(centre)::numeric, 7)),
                'ortsteil', o.name, 'stadtbezirk', s.name))
          ELSE json_build_object(
            'type', 'Feature', 'id', p.key, 'geometry', ST_AsGeoJSON(ST_Transform(p.g, 4326), 7)::json,
            'properties', json_build_object('kind', 'finding', 'key', p.key, 'category', p.category_slug))
          END AS feature
        FROM page p
        LEFT JOIN LATERAL ST_Transform(ST_Centroid(p.g), 4326) AS centre ON p.in_cluster
        LEFT JOIN districts o ON o.id = (SELECT d FROM unnest(p.ortsteile) AS d WHERE d IS NOT NULL
                                         GROUP BY d ORDER BY count(*) DESC, d LIMIT 1)
        LEFT JOIN districts s ON s.id = (SELECT d FROM unnest(p.stadtbezirke) AS d WHERE d IS NOT NULL
                                         GROUP BY d ORDER BY count(*) DESC, d LIMIT 1)
    ), totals AS (
        SELECT (SELECT clusters FROM counted) AS clusters, count(*) FILTER (WHERE cid IS NULL) AS unclustered,
               count(*) AS findings
        FROM labelled
    )
    SELECT json_build_object(
        'type', 'FeatureCollection',
        'clusters', t.clusters, 'unclustered', t.unclustered, 'findings', t.findings,
        'offset', CAST(:offset AS integer),
        'next_offset', CASE WHEN :offset + :limit < t.clusters + t.unclustered THEN :offset + :limit END,
        'features', COALESCE((SELECT json_agg(feature ORDER BY in_cluster DESC, n DESC, participants DESC, at DESC,
                                              key) FROM features), '[]'::json)
    )::text
    FROM totals t
"""


def find_clusters(session: Session, **arguments) -> str:
    """Return one page of the clusters and the unclustered findings as a GeoJSON FeatureCollection
    (JSON text); ``arguments`` as :func:`cluster_query` takes them.

    Clusters (``kind: "cluster"``) come first, the biggest first, ties broken by the number
    of distinct participants (authors and those who gave a +1); then the single findings
    (``kind: "finding"``, key and category only), newest first. ``clusters``, ``unclustered``
    and ``findings`` count all of them; ``next_offset`` is null on the last page.
    """
    query = cluster_query(**arguments)
    labelled, params = _labelled_sql(query)
    params |= {"padding": HULL_PADDING_M, "limit": int(query.limit), "offset": int(query.offset)}
    tune_for_bulk_reads(session, "64MB")
    return session.execute(text(f"{labelled}, {CLUSTERS_SQL}, {PAGE_SQL}"), params).scalar_one()


def cluster_finding_ids(session: Session, key: str, **filters) -> list[uuid.UUID] | None:
    """Return the ids of the findings in the cluster ``key`` found with the same parameters
    (``filters`` as for :func:`find_clusters`), or None when there is no such cluster."""
    labelled, params = _labelled_sql(cluster_query(**filters))
    params["key"] = key
    return session.execute(text(f"""
        {labelled}
        SELECT array_agg(id ORDER BY created_at, id) FROM labelled
        WHERE cid IS NOT NULL AND category_slug || ':' || cid = :key
    """), params).scalar()
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
        FROM (SELECT {TEAM_FEATURE_SQL} AS feature, f.created_at, f.id {FROM_SQL} WHERE {clause}) AS found
    """), params).scalar_one()

