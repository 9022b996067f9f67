"""Photos of findings: add (idempotent by content hash), list, delete. No Flask here.

Phones upload over weak connections from an offline queue that may send the same
photo again at any time, even twice at once. A photo is therefore identified by the
sha256 of its uploaded bytes: adding the same bytes to the same finding again returns
the stored photo (``created`` False). Adds and deletes of one finding take its row
lock, so the five-photo limit and the positions hold under concurrent requests.
Stored files are named by the hash of the web copy; a delete removes them once no
photo refers to them any more (an advisory lock keeps that from racing an add). The
stored copies are blurred (faces, plates; see :mod:`mapapp.photos.blur`) and the regions
kept in ``blur_regions``; the unblurred original is stored (under ``original_sha256``)
only when asked to keep it, and goes with the last photo that refers to it.
A photo added to or removed from a finding a team has grouped into a concern is recorded on
that concern's trail, in the same transaction, like every other change by its participant.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import Forbidden, NotFound, ValidationFailed
from mapapp.moderation.settings import initial_state
from mapapp.moderation.visibility import photo_for_viewer_sql
from mapapp.photos import processing
from mapapp.photos.processing import PhotoRefused
from mapapp.photos.storage import KINDS, ORIGINAL, Storage, photo_key
from mapapp.review.concerns.trail import note_participant_edit

PHOTO_JSON = """json_build_object(
    'id', p.id, 'finding_id', p.finding_id, 'sha256', p.sha256,
    'width', p.width, 'height', p.height, 'position', p.position,
    'url', '/photos/' || p.stored_sha256 || '/web.jpg',
    'thumb_url', '/photos/' || p.stored_sha256 || '/thumb.jpg')"""
LOCK_NAMESPACE = 0x70686F74  # "phot": advisory locks on stored file names


@dataclass(frozen=True)
class Limits:
    """How much one upload and one finding may hold."""

    max_bytes: int = processing.MAX_BYTES
    max_pixels: int = processing.MAX_PIXELS
    per_finding: int = 5


def require_owner(session: Session, finding_id: uuid.UUID, participant_id: uuid.UUID | None) -> None:
    """Raise NotFound for an unknown finding, Forbidden unless ``participant_id`` made it."""
    row = session.execute(
        text("SELECT participant_id FROM findings WHERE id = :id"), {"id": finding_id}
    ).first()
    if row is None:
        raise NotFound(_("Diesen Fund gibt es nicht."))
    if participant_id is None or row.participant_id != participant_id:
        raise Forbidden(_("Nur wer den Fund gemeldet hat, kann seine Fotos ändern."))


def add_photo(session: Session, storage: Storage, finding_id: uuid.UUID, data: bytes, filename: str,
              declared_sha256: str | None = None, limits: Limits = Limits(),
              keep_original: bool = False) -> tuple[dict, bool]:
    """Store one photo of a finding, blurred; return its record and whether it is new.

    Raises ValidationFailed naming ``sha256`` when the bytes do not hash to
    ``declared_sha256`` (a cut-off upload), PhotoRefused naming the file when it is
    not an image we take or the finding already has ``limits.per_finding`` photos.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    if declared_sha256 is not None and declared_sha256.lower() != sha256:
        raise ValidationFailed("The uploaded bytes do not match the announced sha256.",
                               {"sha256": "does not match the uploaded bytes; was the upload cut off?"})
    existing = _photo(session, finding_id, sha256)
    if existing is not None:
        return existing, False
    _check_room(session, finding_id, filename, limits.per_finding)
    session.rollback()  # hold no transaction open while decoding
    processed = processing.process(data, filename, max_bytes=limits.max_bytes, max_pixels=limits.max_pixels,
                                   keep_original=keep_original)
    try:
        finding = _lock_finding(session, finding_id)
        existing = _photo(session, finding_id, sha256)
        if existing is not None:
            session.commit()
            return existing, False
        _check_room(session, finding_id, filename, limits.per_finding)
        lock_stored(session, processed.sha256)
        storage.put(photo_key(processed.sha256, "web"), processed.web)
        storage.put(photo_key(processed.sha256, "thumb"), processed.thumb)
        if processed.original is not None:
            lock_stored(session, processed.original_sha256)
            storage.put(photo_key(processed.original_sha256, ORIGINAL), processed.original)
        inserted = session.execute(text("""
            INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height, position, moderation,
                                blur_regions, original_sha256)
            SELECT :id, :finding_id, :sha256, :stored, :width, :height, COALESCE(max(position) + 1, 0),
                   :photo_state, CAST(:regions AS jsonb), :original
            FROM photos WHERE finding_id = :finding_id
            ON CONFLICT (finding_id, sha256) DO NOTHING
            RETURNING id"""), {
            "id": uuid.uuid4(), "finding_id": finding_id, "sha256": sha256, "stored": processed.sha256,
            "width": processed.width, "height": processed.height, "photo_state": initial_state(),
            "regions": json.dumps(list(processed.regions)), "original": processed.original_sha256,
        }).first()
        if inserted is not None:
            note_participant_edit(session, finding_id, finding.concern_id, ["photos"], finding.category_slug)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return _photo(session, finding_id, sha256), inserted is not None


def list_photos(session: Session, finding_id: uuid.UUID, viewer: uuid.UUID | None = None) -> list[dict]:
    """Return the finding's photos the public may see (all of them to ``viewer`` when it sent the
    finding), in order; NotFound for an unknown finding."""
    row = session.execute(text(f"""
        SELECT (SELECT COALESCE(json_agg({PHOTO_JSON} ORDER BY p.position), '[]'::json)
                FROM photos p WHERE p.finding_id = f.id AND {photo_for_viewer_sql('p', 'f')})
        FROM findings f WHERE f.id = :id"""), {"id": finding_id, "viewer": viewer}).first()
    if row is None:
        raise NotFound(f"no finding with id {finding_id}")
    return row[0]


def delete_photo(session: Session, storage: Storage, finding_id: uuid.UUID, photo_id: uuid.UUID) -> None:
    """Delete one photo, close the gap in the positions, drop its files if now unused."""
    try:
        finding = _lock_finding(session, finding_id)
        row = session.execute(text("""
            DELETE FROM photos WHERE id = :id AND finding_id = :finding_id
            RETURNING position, stored_sha256, original_sha256"""), {"id": photo_id, "finding_id": finding_id}).first()
        if row is None:
            raise NotFound(f"no photo with id {photo_id} on this finding")
        session.execute(text("""
            UPDATE photos SET position = position - 1
            WHERE finding_id = :finding_id AND position > :position"""),
            {"finding_id": finding_id, "position": row.position})
        note_participant_edit(session, finding_id, finding.concern_id, ["photos"], finding.category_slug)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    remove_unreferenced(session, storage, row.stored_sha256)
    if row.original_sha256:
        remove_unreferenced(session, storage, row.original_sha256)


def remember_rename(session: Session, photo_id, old_sha256: str, new_sha256: str) -> None:
    """Record that the photo's copies moved from ``old_sha256`` to ``new_sha256`` (in the caller's
    transaction); a hash that is the photo's own again (a region unblurred) is no rename."""
    session.execute(text("""
        INSERT INTO photo_renames (old_sha256, photo_id) VALUES (:old, :photo)
        ON CONFLICT (old_sha256) DO UPDATE SET photo_id = EXCLUDED.photo_id, renamed_at = now()"""),
        {"old": old_sha256, "photo": photo_id})
    session.execute(text("DELETE FROM photo_renames WHERE old_sha256 = :new"), {"new": new_sha256})


def renamed_to(session: Session, old_sha256: str) -> str | None:
    """The current stored hash of the photo whose copies ``old_sha256`` named, or None."""
    return session.execute(text("""
        SELECT p.stored_sha256 FROM photo_renames r JOIN photos p ON p.id = r.photo_id
        WHERE r.old_sha256 = :old"""), {"old": old_sha256}).scalar()


def remove_unreferenced(session: Session, storage: Storage, stored_sha256: str) -> bool:
    """Delete the files of ``stored_sha256`` (copies or an original) unless a photo still uses
    them; True if deleted."""
    try:
        lock_stored(session, stored_sha256)
        used = session.execute(text("""
            SELECT EXISTS (SELECT 1 FROM photos WHERE stored_sha256 = :h OR original_sha256 = :h)"""),
            {"h": stored_sha256}).scalar()
        if not used:
            for kind in (*KINDS, ORIGINAL):
                storage.delete(photo_key(stored_sha256, kind))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return not used


def _photo(session: Session, finding_id: uuid.UUID, sha256: str) -> dict | None:
    return session.execute(
        text(f"SELECT {PHOTO_JSON} FROM photos p WHERE p.finding_id = :finding_id AND p.sha256 = :sha256"),
        {"finding_id": finding_id, "sha256": sha256},
    ).scalar()


def _check_room(session: Session, finding_id: uuid.UUID, filename: str, per_finding: int) -> None:
    count = session.execute(text("""
        SELECT (SELECT count(*) FROM photos WHERE finding_id = f.id) FROM findings f WHERE f.id = :id"""),
        {"id": finding_id}).scalar()
    if count is None:
        session.rollback()
        raise NotFound(f"no finding with id {finding_id}")
    if count >= per_finding:
        session.rollback()
        raise PhotoRefused(filename, f"is one too many: a finding has at most {per_finding} photos")


def _lock_finding(session: Session, finding_id: uuid.UUID):
    """Serialise photo changes of one finding until commit (without blocking references to it);
    return its ``concern_id`` and ``category_slug``."""
    found = session.execute(text("SELECT concern_id, category_slug FROM findings WHERE id = :id FOR NO KEY UPDATE"),
                            {"id": finding_id}).first()
    if found is None:
        raise NotFound(f"no finding with id {finding_id}")
    return found


def lock_stored(session: Session, stored_sha256: str) -> None:
    """Serialise writing and removing the files of one stored hash until commit."""
    session.execute(text("SELECT pg_advisory_xact_lock(CAST(:ns AS integer), CAST(:key AS integer))"),
                    {"ns": LOCK_NAMESPACE, "key": int(stored_sha256[:7], 16)})
