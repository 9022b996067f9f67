"""The team picks the photos a walk's results page shows ("featured"). No Flask here."""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import NotFound, ValidationFailed
from mapapp.review.access import require_category


def set_featured(session: Session, user, photo_id: uuid.UUID, featured) -> dict:
    """Mark photo ``photo_id`` featured or not; return ``{"id", "featured", "moderation"}``.

    Only someone who reviews the finding's category may; a featured photo still shows only
    while the public may see it (mapapp/moderation/visibility.py).
    """
    if not isinstance(featured, bool):
        message = _("Bitte ja oder nein angeben.")
        raise ValidationFailed(message, {"featured": message})
    row = session.execute(text("""
        SELECT p.id, f.category_slug FROM photos p JOIN findings f ON f.id = p.finding_id WHERE p.id = :id
    """), {"id": photo_id}).first()
    if row is None:
        raise NotFound(_("Dieses Foto gibt es nicht."))
    require_category(session, user, row.category_slug)
    changed = session.execute(text("""
        UPDATE photos SET featured = :featured WHERE id = :id RETURNING id, featured, moderation
    """), {"id": photo_id, "featured": featured}).mappings().one()
    session.commit()
    return {**changed, "id": str(changed["id"])}
