"""A reviewer's corrections to a photo's blurring: blur a drawn box, unblur a region. No Flask here.

Every correction re-renders the stored copies (web size and thumbnail) and records a
``blur`` or ``unblur`` entry with the box in ``moderation_events``, in one transaction.
The copies are named by their content, so a corrected photo gets new file names: the old
URLs stop working once no photo refers to their files (an immutable cache could otherwise
keep serving what was just blurred).

Where the unblurred original was kept (``KEEP_UNBLURRED_ORIGINALS``), the copies are drawn
anew from it with every remaining region, and any region can be unblurred. Without it a
blurred area is gone for good: a new box is blurred into the current copy, and unblurring
is refused (``CannotRestore``), with a message the review page shows.
"""
from __future__ import annotations

import json
import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import Conflict, NotFound
from mapapp.photos import processing
from mapapp.photos.service import lock_stored, remember_rename, remove_unreferenced
from mapapp.photos.storage import ORIGINAL, Storage, photo_key

ACTIONS = ("blur", "unblur")  # the moderation_events actions written here


class CannotRestore(Conflict):
    """Unblurring asked for where no unblurred original was kept."""

    code = "original_not_kept"


def photo_state(session: Session, photo_id: uuid.UUID) -> dict:
    """The photo's finding, copies, regions and whether its original is kept (for the review page)."""
    row = session.execute(text("""
        SELECT p.id, p.finding_id, f.category_slug, p.stored_sha256, p.width, p.height, p.blur_regions,
               p.original_sha256 IS NOT NULL AS original_kept
        FROM photos p JOIN findings f ON f.id = p.finding_id WHERE p.id = :id"""), {"id": photo_id}).first()
    if row is None:
        raise NotFound(_("Dieses Foto gibt es nicht."))
    return _describe(row, row.category_slug)


def _describe(row, category: str) -> dict:
    return {"id": str(row.id), "finding_id": str(row.finding_id), "category": category,
            "width": row.width, "height": row.height, "regions": row.blur_regions,
            "original_kept": row.original_kept,
            "url": f"/photos/{row.stored_sha256}/web.jpg", "thumb_url": f"/photos/{row.stored_sha256}/thumb.jpg"}


def add_region(session: Session, storage: Storage, photo_id: uuid.UUID, box: dict, user_id: int | None,
               actor: str | None = None) -> dict:
    """Blur ``box`` (a region from :func:`mapapp.photos.blur.manual_box`) in every stored copy."""
    row = _lock(session, photo_id)
    regions = list(row.blur_regions) + [box]
    base = _original(storage, row)
    image, drawn = (base, regions) if base is not None else (_current(storage, row), [box])
    return _store(session, storage, row, regions, processing.renditions(image, drawn),
                  ("blur", user_id, actor, {"region": box}))


def remove_region(session: Session, storage: Storage, photo_id: uuid.UUID, region_id: str, user_id: int | None,
                  actor: str | None = None) -> dict:
    """Unblur one region: draw the copies anew from the kept original without it."""
    row = _lock(session, photo_id)
    gone = next((item for item in row.blur_regions if item.get("id") == region_id), None)
    if gone is None:
        session.rollback()
        raise NotFound(_("Diesen unkenntlich gemachten Bereich gibt es bei diesem Foto nicht."))
    base = _original(storage, row)
    if base is None:
        session.rollback()
        message = _("Ohne das unveränderte Original lässt sich ein unkenntlich gemachter Bereich nicht "
                    "wiederherstellen: Originale werden auf diesem Server nicht aufbewahrt.")
        raise CannotRestore(message, {"region": message})
    regions = [item for item in row.blur_regions if item.get("id") != region_id]
    return _store(session, storage, row, regions, processing.renditions(base, regions),
                  ("unblur", user_id, actor, {"region": gone}))


def _lock(session: Session, photo_id: uuid.UUID):
    row = session.execute(text("""
        SELECT p.id, p.finding_id, f.category_slug, p.stored_sha256, p.width, p.height, p.blur_regions,
               p.original_sha256, p.original_sha256 IS NOT NULL AS original_kept
        FROM photos p JOIN findings f ON f.id = p.finding_id WHERE p.id = :id FOR NO KEY UPDATE OF p"""),
        {"id": photo_id}).first()
    if row is None:
        session.rollback()
        raise NotFound(_("Dieses Foto gibt es nicht."))
    return row


def _original(storage: Storage, row):
    """The kept unblurred original as an image, or None where none was kept (or its file is gone)."""
    if not row.original_sha256 or not storage.exists(photo_key(row.original_sha256, ORIGINAL)):
        return None
    with storage.open(photo_key(row.original_sha256, ORIGINAL)) as handle:
        return processing.decode_stored(handle.read())


def _current(storage: Storage, row):
    with storage.open(photo_key(row.stored_sha256, "web")) as handle:
        return processing.decode_stored(handle.read())


def _store(session: Session, storage: Storage, row, regions: list, rendered, event) -> dict:
    """Write the new copies, point the photo at them, record the event; drop the old files if unused."""
    web, thumb, sha256 = rendered
    action, user_id, actor, detail = event
    try:
        lock_stored(session, sha256)
        storage.put(photo_key(sha256, "web"), web)
        storage.put(photo_key(sha256, "thumb"), thumb)
        updated = session.execute(text("""
            UPDATE photos SET stored_sha256 = :stored, blur_regions = CAST(:regions AS jsonb) WHERE id = :id
            RETURNING id, finding_id, stored_sha256, width, height, blur_regions,
                      original_sha256 IS NOT NULL AS original_kept"""),
            {"id": row.id, "stored": sha256, "regions": json.dumps(regions)}).first()
        if row.stored_sha256 != sha256:
            remember_rename(session, row.id, row.stored_sha256, sha256)
        session.execute(text("""
            INSERT INTO moderation_events (finding_id, photo_id, user_id, actor, action, detail)
            VALUES (:finding_id, :photo_id, :user_id, :actor, :action, CAST(:detail AS jsonb))"""),
            {"finding_id": row.finding_id, "photo_id": row.id, "user_id": user_id, "actor": actor,
             "action": action, "detail": json.dumps(detail)})
        session.commit()
    except BaseException:
        session.rollback()
        raise
    if row.stored_sha256 != sha256:
        remove_unreferenced(session, storage, row.stored_sha256)
    return _describe(updated, row.category_slug)
