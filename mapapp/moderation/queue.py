"""The moderation queue: findings' free text and photos by state, for the team that reviews them. No Flask here.

Pending items come oldest first (the longest waiting at the top); approved and hidden ones
newest first, so a team can still hide what ``post`` mode published at once. A team member
sees the items of their teams' categories (a finding's own, or its concern's: see
:func:`mapapp.review.access.may_see_finding`), an organiser all of them.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.moderation.visibility import FREE_TEXT_TYPES, HAS_STORED_TEXT_SQL
from mapapp.review.access import categories_of
from mapapp.statuses import MODERATION_STATES

QUEUE_LIMIT = 200

# The findings ``f`` (concern ``k`` joined) the reviewer may see: :visible NULL means all.
VISIBLE_SQL = """(CAST(:visible AS text[]) IS NULL OR f.category_slug = ANY(CAST(:visible AS text[]))
                  OR k.category_slug = ANY(CAST(:visible AS text[])))"""

FREE_TEXT_ANSWERS_SQL = f"""(
    SELECT COALESCE(json_agg(json_build_object('label', ca.label_de, 'label_en', ca.label_en, 'value', a.value)
                             ORDER BY ca."order", ca.code), '[]'::json)
    FROM jsonb_each_text(f.attributes) AS a
    JOIN category_attributes ca ON ca.category_slug = f.category_slug AND ca.code = a.key
    WHERE ca.datatype IN ({", ".join(f"'{t}'" for t in FREE_TEXT_TYPES)}) AND NULLIF(btrim(a.value), '') IS NOT NULL
)"""

ITEMS_SQL = f"""
    SELECT i.kind, i.finding_id, i.photo_id, i.at, i.state,
           f.description, f.public_description, f.address_string, f.media_url,
           CASE WHEN i.kind = 'text' THEN {FREE_TEXT_ANSWERS_SQL} END AS answers,
           i.stored_sha256, f.category_slug, c.label_de, c.label_en, c.icon,
           o.name AS ortsteil, f.created_at AS sent_at
    FROM (
        SELECT 'text' AS kind, f.id AS finding_id, NULL::uuid AS photo_id, f.created_at AS at,
               f.text_moderation AS state, NULL AS stored_sha256
        FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id
        WHERE f.text_moderation = :state AND {HAS_STORED_TEXT_SQL} AND {VISIBLE_SQL}
        UNION ALL
        SELECT 'photo', f.id, p.id, p.created_at, p.moderation, p.stored_sha256
        FROM photos p JOIN findings f ON f.id = p.finding_id LEFT JOIN concerns k ON k.id = f.concern_id
        WHERE p.moderation = :state AND {VISIBLE_SQL}
    ) AS i
    JOIN findings f ON f.id = i.finding_id
    JOIN categories c ON c.slug = f.category_slug
    LEFT JOIN districts o ON o.id = f.ortsteil_id
    ORDER BY i.at {{direction}}, i.kind DESC, i.finding_id, i.photo_id
    LIMIT :limit
"""

PENDING_COUNT_SQL = f"""
    SELECT (SELECT count(*) FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id
            WHERE f.text_moderation = 'pending' AND {HAS_STORED_TEXT_SQL} AND {VISIBLE_SQL})
         + (SELECT count(*) FROM photos p JOIN findings f ON f.id = p.finding_id
            LEFT JOIN concerns k ON k.id = f.concern_id
            WHERE p.moderation = 'pending' AND {VISIBLE_SQL})
"""


def list_items(session: Session, user, state: str = "pending", limit: int = QUEUE_LIMIT) -> list[dict]:
    """The texts and photos in ``state`` the user may moderate: pending oldest first, else newest first.

    Each item: ``kind`` (text or photo), ``finding_id``, ``photo_id``, ``at`` (when it was sent),
    ``state``, the finding's ``description``, ``public_description``, ``address_string``,
    ``media_url``, free-text ``answers`` (texts only), ``stored_sha256`` (photos only), and the
    finding's category (``category_slug``, ``label_de``, ``label_en``, ``icon``) and ``ortsteil``.
    """
    if state not in MODERATION_STATES:
        raise ValueError(f"unknown moderation state {state!r}")
    visible = categories_of(session, user)
    if visible is not None and not visible:
        return []
    direction = "ASC" if state == "pending" else "DESC"
    rows = session.execute(text(ITEMS_SQL.replace("{direction}", direction)),
                           {"state": state, "visible": visible, "limit": limit}).mappings()
    return [dict(row) for row in rows]


def pending_count(session: Session, user) -> int:
    """How many texts and photos wait for the user's decision (0 for anyone without categories)."""
    visible = categories_of(session, user)
    if visible is not None and not visible:
        return 0
    return session.execute(text(PENDING_COUNT_SQL), {"visible": visible}).scalar_one()
