"""Who may fetch a stored photo file: the public, its sender, the team. No Flask here.

Photo files are named by the hash of their content (``/photos/<stored_sha256>/<kind>.jpg``);
one file may belong to several photo records (the same picture sent twice). The public may
fetch it while one of them is approved; the participant who sent one of them, and a reviewer
of one of their findings' categories, may fetch it in any state.
"""
from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.moderation.visibility import is_viewer_sql, photo_is_public_sql
from mapapp.review.access import categories_of

PUBLIC, PRIVATE = "public", "private"

PHOTO_ACCESS_SQL = f"""
    SELECT COALESCE(bool_or({photo_is_public_sql('p')}), false) AS public,
           COALESCE(bool_or({is_viewer_sql('f')}), false) AS own,
           COALESCE(bool_or(CAST(:all AS boolean) OR f.category_slug = ANY(CAST(:visible AS text[]))
                            OR k.category_slug = ANY(CAST(:visible AS text[]))), false) AS team
    FROM photos p JOIN findings f ON f.id = p.finding_id LEFT JOIN concerns k ON k.id = f.concern_id
    WHERE p.stored_sha256 = :stored
"""


def photo_file_access(session: Session, stored_sha256: str, viewer: uuid.UUID | None, user) -> str | None:
    """``public`` when anyone may fetch the file, ``private`` when only this participant or
    reviewer (``user``: the signed-in user, anonymous or None) may, None when they may not."""
    visible = categories_of(session, user) if user is not None else []
    row = session.execute(text(PHOTO_ACCESS_SQL), {
        "stored": stored_sha256, "viewer": viewer, "all": visible is None, "visible": visible or [],
    }).one()
    if row.public:
        return PUBLIC
    return PRIVATE if row.own or row.team else None
