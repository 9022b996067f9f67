"""Reading concerns: one concern with its findings and audit trail, and the list. No Flask here.

Both are built by PostGIS as JSON (the findings as a FeatureCollection with the same
properties as ``/api/findings``), so a response never passes through a Python loop.
"""
from __future__ import annotations

import json
import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import NotFound
from mapapp.findings.store import FROM_SQL, TEAM_FEATURE_SQL
from mapapp.statuses import TRANSITIONS

# Columns shared by the detail and the list; ``cn`` is the concern. The aliases differ from
# FROM_SQL's (f, c, o, s, k) so that its findings subquery cannot capture them.
_SUMMARY_SQL = """
    'id', cn.id,
    'title', cn.title,
    'summary', cn.summary,
    'category', cn.category_slug,
    'category_label', cat.label_de,
    'icon', cat.icon,
    'status', cn.status,
    'version', cn.version,
    'location', json_build_object('lat', ST_Y(cn.geom), 'lon', ST_X(cn.geom)),
    'ortsteil', od.name,
    'ortsteil_code', od.code,
    'stadtbezirk', sd.name,
    'stadtbezirk_code', sd.code,
    'findings_count', (SELECT count(*) FROM findings fc WHERE fc.concern_id = cn.id),
    'participants', (
        SELECT count(DISTINCT who.participant_id) FROM (
            SELECT fp.participant_id FROM findings fp WHERE fp.concern_id = cn.id
            UNION ALL
            SELECT cf.participant_id FROM confirmations cf
            JOIN findings fq ON fq.id = cf.finding_id WHERE fq.concern_id = cn.id
        ) AS who
    ),
    'created_at', cn.created_at,
    'updated_at', cn.updated_at
"""

_CONCERN_FROM_SQL = """
    FROM concerns cn
    JOIN categories cat ON cat.slug = cn.category_slug
    LEFT JOIN districts od ON od.id = cn.ortsteil_id
    LEFT JOIN districts sd ON sd.id = cn.stadtbezirk_id
"""

_DETAIL_SQL = f"""
    SELECT json_build_object(
        {_SUMMARY_SQL},
        'public_message', cn.public_message,
        'public_message_at', cn.public_message_at,
        'duplicate_of', (
            SELECT json_build_object('id', d.id, 'title', d.title, 'status', d.status)
            FROM concerns d WHERE d.id = cn.duplicate_of_id
        ),
        'created_by', (
            SELECT json_build_object('id', cu.id, 'username', cu.username, 'display_name', cu.display_name)
            FROM users cu WHERE cu.id = cn.created_by_id
        ),
        'findings', (
            SELECT json_build_object(
                'type', 'FeatureCollection',
                'features', COALESCE(json_agg(page.feature ORDER BY page.created_at, page.id), '[]'::json)
            )
            FROM (SELECT {TEAM_FEATURE_SQL} AS feature, f.created_at, f.id {FROM_SQL} WHERE f.concern_id = :id) AS page
        ),
        'history', (
            SELECT COALESCE(json_agg(json_build_object(
                'id', e.id,
                'at', e.at,
                'action', e.action,
                'from_status', e.from_status,
                'to_status', e.to_status,
                'note', e.note,
                'actor', e.actor,
                'user', CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object(
                    'id', u.id, 'username', u.username, 'display_name', u.display_name) END
            ) ORDER BY e.at DESC, e.id DESC), '[]'::json)
            FROM concern_events e LEFT JOIN users u ON u.id = e.user_id
            WHERE e.concern_id = cn.id
        )
    )::text
    {_CONCERN_FROM_SQL}
    WHERE cn.id = :id
"""


def next_statuses(status: str) -> list[str]:
    """The statuses a concern in ``status`` may be changed to."""
    return list(TRANSITIONS.get(status, ()))


def concern_detail(session: Session, concern_id: uuid.UUID) -> dict:
    """One concern, JSON-ready: its fields, findings (FeatureCollection), history (newest first).

    ``next_statuses`` lists what the status may be changed to.
    """
    raw = session.execute(text(_DETAIL_SQL), {"id": concern_id, "viewer": None}).scalar()
    if raw is None:
        raise NotFound(_("Dieses Anliegen gibt es nicht."))
    detail = json.loads(raw)
    detail["next_statuses"] = next_statuses(detail["status"])
    return detail


def list_concerns(session: Session, *, visible_categories: list[str] | None = None,
                  status: str | list[str] | None = None, walk_id: uuid.UUID | None = None,
                  district: str | None = None) -> list[dict]:
    """Concerns, most recently changed first, without findings and history.

    ``visible_categories`` None means all categories (organisers); ``status`` one status or
    several; ``walk_id`` concerns with a finding from that walk; ``district`` the code or
    name of an Ortsteil or Stadtbezirk the concern lies in.
    """
    clauses, params = ["TRUE"], {}
    if visible_categories is not None:
        clauses.append("cn.category_slug = ANY(:visible)")
        params["visible"] = list(visible_categories)
    if status:
        clauses.append("cn.status = ANY(:statuses)")
        params["statuses"] = [status] if isinstance(status, str) else list(status)
    if walk_id is not None:
        clauses.append("EXISTS (SELECT 1 FROM findings fw WHERE fw.concern_id = cn.id AND fw.walk_id = :walk_id)")
        params["walk_id"] = walk_id
    if district:
        clauses.append(
            "(od.code = :district OR od.name = :district OR sd.code = :district OR sd.name = :district)"
        )
        params["district"] = district
    rows = session.execute(text(f"""
        SELECT json_build_object({_SUMMARY_SQL})::text
        {_CONCERN_FROM_SQL}
        WHERE {" AND ".join(clauses)}
        ORDER BY cn.updated_at DESC, cn.id
    """), params).scalars()
    return [json.loads(row) for row in rows]
