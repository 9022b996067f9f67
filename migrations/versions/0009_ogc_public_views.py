"""The public view of the data: SQL views the OGC API – Features feed (``/ogc``) serves.

Each view holds only what may leave the app without an account: no participant id, no
nickname, no account, no internal note, no team, no walk's join code. Free text comes in
two variants, as the exports' ``--no-text``/``--text``: ``public_findings`` and
``public_concerns`` carry none (a finding's description, a concern's title and summary,
and answers to free-text questions are left out), ``public_findings_text`` and
``public_concerns_text`` add it; the app's ``OGC_INCLUDE_TEXT`` chooses which one is
served. A concern's ``public_message`` is written for the public and is in both.

The views select the tables' own ``geom`` columns untransformed and stay simple
(joins and scalar subqueries, no aggregate or DISTINCT at the top), so PostgreSQL
flattens them into the query and a bbox filter uses the tables' GiST indexes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

PLACE = """
       ot.name AS ortsteil, ot.code AS ortsteil_code, sb.name AS stadtbezirk, sb.code AS stadtbezirk_code"""

# Answers to list, number and date questions; the free-text ones ('string', 'text') only with text.
LISTED_ANSWERS = """
       (SELECT COALESCE(jsonb_object_agg(a.key, a.value), '{}'::jsonb) FROM jsonb_each(f.attributes) AS a
        WHERE EXISTS (SELECT 1 FROM category_attributes ca WHERE ca.category_slug = f.category_slug
                      AND ca.code = a.key AND ca.datatype NOT IN ('string', 'text'))) AS attributes"""


def findings_view(with_text: bool) -> str:
    """One row per finding; its status is its concern's once it belongs to one."""
    text_columns = "f.attributes AS attributes, f.description" if with_text else LISTED_ANSWERS.strip()
    return f"""
SELECT f.id, f.category_slug AS category, cat.label_de AS category_label,
       COALESCE(c.status, f.status) AS status, f.urgency::integer AS urgency,
       (SELECT count(*) FROM confirmations cf WHERE cf.finding_id = f.id)::integer AS confirmations,
       f.concern_id, f.walk_id, w.title AS walk_title,{PLACE},
       f.created_at, f.updated_at, {text_columns}, f.geom
FROM findings f
JOIN categories cat ON cat.slug = f.category_slug
LEFT JOIN concerns c ON c.id = f.concern_id
LEFT JOIN walks w ON w.id = f.walk_id
LEFT JOIN districts ot ON ot.id = f.ortsteil_id
LEFT JOIN districts sb ON sb.id = f.stadtbezirk_id"""


def concerns_view(with_text: bool) -> str:
    """One row per concern; ``people`` counts distinct participants (authors and +1s), no ids."""
    text_columns = "cn.title, cn.summary, " if with_text else ""
    return f"""
SELECT cn.id, cn.category_slug AS category, cat.label_de AS category_label, cn.status,
       {text_columns}cn.public_message, cn.public_message_at, cn.duplicate_of_id AS duplicate_of,
       (SELECT count(*) FROM findings fc WHERE fc.concern_id = cn.id)::integer AS findings_count,
       (SELECT count(DISTINCT who.participant_id) FROM (
            SELECT fp.participant_id FROM findings fp WHERE fp.concern_id = cn.id
            UNION ALL
            SELECT cf.participant_id FROM confirmations cf JOIN findings fq ON fq.id = cf.finding_id
            WHERE fq.concern_id = cn.id) AS who)::integer AS people,{PLACE},
       cn.created_at, cn.updated_at, cn.geom
FROM concerns cn
JOIN categories cat ON cat.slug = cn.category_slug
LEFT JOIN districts ot ON ot.id = cn.ortsteil_id
LEFT JOIN districts sb ON sb.id = cn.stadtbezirk_id"""


WALK_COLUMNS = """
SELECT w.id, w.title, w.topic, w.starts_at, w.ends_at,{PLACE},
       (SELECT count(*) FROM findings f WHERE f.walk_id = w.id)::integer AS findings_count,
       w.{geom} AS geom
FROM walks w
LEFT JOIN districts ot ON ot.id = w.ortsteil_id
LEFT JOIN districts sb ON sb.id = w.stadtbezirk_id"""

DISTRICTS = """
SELECT d.id, d.level, d.code, d.name, parent.code AS parent_code, d.approximate,
       (CASE d.level WHEN 'ortsteil' THEN (SELECT count(*) FROM findings f WHERE f.ortsteil_id = d.id)
                     ELSE (SELECT count(*) FROM findings f WHERE f.stadtbezirk_id = d.id) END)::integer
           AS findings_count,
       d.geom
FROM districts d
LEFT JOIN districts parent ON parent.id = d.parent_id"""

VIEWS = {
    "public_findings": findings_view(False),
    "public_findings_text": findings_view(True),
    "public_concerns": concerns_view(False),
    "public_concerns_text": concerns_view(True),
    "public_walks": WALK_COLUMNS.format(PLACE=PLACE, geom="meeting_point"),
    "public_walk_routes": WALK_COLUMNS.format(PLACE=PLACE, geom="route") + "\nWHERE w.route IS NOT NULL",
    "public_districts": DISTRICTS,
}


def upgrade():
    for name, query in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {query}")
        op.execute(f"COMMENT ON VIEW {name} IS 'mapapp: public data for the OGC API - Features feed "
                   "(no personal data); see migrations/versions/0009_ogc_public_views.py'")


def downgrade():
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {name}")
