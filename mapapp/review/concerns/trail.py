"""A concern's version and audit trail: every change raises ``version`` and writes an entry. No Flask here.

Changes a reviewer makes from a page they loaded earlier carry the version they saw;
:func:`versioned_write` (``UPDATE … WHERE version = :expected``) refuses a stale one with
:class:`StaleWrite` instead of overwriting what someone else changed meanwhile. The trail
(``concern_events``) names who did what, from which status to which, with a note.
"""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.auth.users import Account
from mapapp.errors import NotFound, StaleWrite
from mapapp.review.access import require_category


def concern_row(session: Session, concern_id: uuid.UUID, lock: bool = False):
    """The concern's id, status, version and category (locked with ``lock``); NotFound if none."""
    row = session.execute(
        text("SELECT id, status, version, category_slug FROM concerns WHERE id = :id"
             + (" FOR UPDATE" if lock else "")),
        {"id": concern_id},
    ).first()
    if row is None:
        raise NotFound(_("Dieses Anliegen gibt es nicht."))
    return row


def stale(current_version: int | None) -> StaleWrite:
    """The error for a change made from an old version of the concern (the client reloads)."""
    return StaleWrite(_("Jemand anderes hat das Anliegen inzwischen geändert – bitte neu laden."),
                      current_version)


def record(session: Session, concern_id, user_id, action: str, *, from_status=None, to_status=None,
           note=None) -> None:
    """Write one entry of the concern's audit trail (``user_id`` None: a participant or the CLI)."""
    session.execute(text("""
        INSERT INTO concern_events (concern_id, user_id, action, from_status, to_status, note)
        VALUES (:concern_id, :user_id, :action, :from_status, :to_status, :note)
    """), {"concern_id": concern_id, "user_id": user_id, "action": action,
           "from_status": from_status, "to_status": to_status, "note": note})


def touch(session: Session, concern_ids) -> dict[str, int]:
    """Raise the version of concerns whose findings changed; return their new versions."""
    rows = session.execute(text("""
        UPDATE concerns SET version = version + 1, updated_at = now()
        WHERE id = ANY(:ids) RETURNING id, version
    """), {"ids": list(concern_ids)})
    return {str(row.id): row.version for row in rows}


def checked_concern(session: Session, account: Account, concern_id, expected_version: int):
    """The concern's row, locked, if the user may change it and ``expected_version`` is current."""
    row = concern_row(session, concern_id, lock=True)
    require_category(session, account, row.category_slug)
    if row.version != expected_version:
        session.rollback()
        raise stale(row.version)
    return row


def versioned_write(session: Session, concern_id, expected_version: int, sets: str, params: dict):
    """``UPDATE`` the concern only if it is still at ``expected_version``; raise ``StaleWrite`` if not."""
    row = session.execute(text(f"""
        UPDATE concerns SET {sets}, version = version + 1, updated_at = now()
        WHERE id = :id AND version = :expected
        RETURNING version, stadtbezirk_id
    """), params | {"id": concern_id, "expected": expected_version}).first()
    if row is None:
        session.rollback()
        raise stale(session.execute(text("SELECT version FROM concerns WHERE id = :id"),
                                    {"id": concern_id}).scalar())
    return row


# ---- participants changing their grouped findings ------------------------------------------
# A participant may change or delete their own finding after a team grouped it (see
# mapapp.findings.own). These run in the participant's transaction, before its commit, so
# the finding and its concern's trail change together or not at all. The entries have no
# user (participants are anonymous) and name fields, never their content.

PARTICIPANT_ACTIONS = ("finding_edited", "finding_recategorised", "finding_withdrawn", "no_findings_left")


def _note_if_empty(session: Session, concern_id) -> None:
    """Put ``no_findings_left`` on the trail when the concern's last finding has just gone."""
    left = session.execute(text("SELECT EXISTS (SELECT 1 FROM findings WHERE concern_id = :id)"),
                           {"id": concern_id}).scalar()
    if not left:
        record(session, concern_id, None, "no_findings_left")


def note_participant_edit(session: Session, finding_id: uuid.UUID, concern_id, changed: list[str],
                          category: str) -> None:
    """Record that a participant changed the grouped finding's fields ``changed``; raise the version.

    A new ``category`` other than the concern's takes the finding out of the concern
    (``finding_recategorised``): the team grouped it as something else, and the team of its
    new category sees it again among the ungrouped findings. Any other change stays in the
    concern and is recorded as ``finding_edited``. Does not commit.
    """
    if concern_id is None or not changed:
        return
    concern_category = session.execute(
        text("SELECT category_slug FROM concerns WHERE id = :id FOR UPDATE"), {"id": concern_id}
    ).scalar()
    note = f"{finding_id}: {', '.join(changed)}"
    if "category" in changed and category != concern_category:
        session.execute(text("UPDATE findings SET concern_id = NULL WHERE id = :id"), {"id": finding_id})
        record(session, concern_id, None, "finding_recategorised", note=note)
        _note_if_empty(session, concern_id)
    else:
        record(session, concern_id, None, "finding_edited", note=note)
    touch(session, [concern_id])


def note_participant_withdrawal(session: Session, finding_id: uuid.UUID, concern_id) -> None:
    """Record that a participant deleted their grouped finding; raise the version. Does not commit.

    The concern stays, with its title, summary and trail, even when this was its last finding:
    ``no_findings_left`` then says so, and the review list flags it.
    """
    if concern_id is None:
        return
    record(session, concern_id, None, "finding_withdrawn", note=str(finding_id))
    _note_if_empty(session, concern_id)
    touch(session, [concern_id])
