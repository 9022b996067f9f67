"""Moderation decisions: approve, hide, unhide a finding's text or a photo; edit the public text. No Flask here.

Each decision changes one state (:data:`mapapp.statuses.MODERATION_STATES`) and leaves an entry
on the trail (``moderation_events``: who, what, from which state to which, and for an edit the
old and the new public text) in the same transaction. The reviewer must be allowed to review
the finding's category (:func:`mapapp.review.access.may_see_finding`); a finding or photo the
reviewer may not see answers as if it did not exist.
"""
from __future__ import annotations

import json
import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.config import Defaults
from mapapp.errors import NotFound, ValidationFailed
from mapapp.review.access import may_see_finding

# What each action sets the state to. Unhiding is a reviewer's decision to show it again.
ACTIONS = {"approve": "approved", "hide": "hidden", "unhide": "approved"}
# The trail's action names (moderation_events.action), by kind and action.
TRAIL = {(kind, action): f"{kind}_{done}" for kind in ("text", "photo")
         for action, done in (("approve", "approved"), ("hide", "hidden"), ("unhide", "unhidden"))}
TEXT_EDITED = "text_edited"

LOCK_TEXT_SQL = """
    SELECT text_moderation AS state, description, public_description FROM findings WHERE id = :id FOR UPDATE
"""
LOCK_PHOTO_SQL = "SELECT finding_id, moderation AS state FROM photos WHERE id = :id FOR UPDATE"
TRAIL_SQL = """
    INSERT INTO moderation_events (finding_id, photo_id, user_id, actor, action, detail)
    VALUES (:finding_id, :photo_id, :user_id, :actor, :action, CAST(:detail AS jsonb))
"""


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _account(user):
    return getattr(user, "account", user)


def _note(session: Session, user, finding_id, photo_id, action: str, detail: dict) -> None:
    account = _account(user)
    session.execute(text(TRAIL_SQL), {
        "finding_id": finding_id, "photo_id": photo_id, "user_id": getattr(account, "id", None),
        "actor": (getattr(account, "name", None) or None), "action": action, "detail": json.dumps(detail),
    })


def _check_action(action: str) -> str:
    if action not in ACTIONS:
        message = _("Unbekannte Aktion.")
        raise ValidationFailed(message, {"action": message})
    return ACTIONS[action]


def _missing(session: Session) -> NotFound:
    session.rollback()
    return NotFound(_("Diesen Fund gibt es nicht."))


def _locked_text(session: Session, user, finding_id):
    """The finding's id (as UUID) and its text row, locked; NotFound where the user may not see it."""
    finding_id = _uuid(finding_id)
    if finding_id is None or not may_see_finding(session, user, finding_id):
        raise _missing(session)
    row = session.execute(text(LOCK_TEXT_SQL), {"id": finding_id}).first()
    if row is None:
        raise _missing(session)
    return finding_id, row


def decide_text(session: Session, user, finding_id, action: str) -> dict:
    """Apply ``action`` (approve, hide, unhide) to the finding's free text; return ``{state, changed}``."""
    state = _check_action(action)
    finding_id, row = _locked_text(session, user, finding_id)
    changed = row.state != state
    if changed:
        session.execute(text("UPDATE findings SET text_moderation = :state WHERE id = :id"),
                        {"state": state, "id": finding_id})
        _note(session, user, finding_id, None, TRAIL[("text", action)], {"from": row.state, "to": state})
    session.commit()
    return {"state": state, "changed": changed}


def decide_photo(session: Session, user, photo_id, action: str) -> dict:
    """Apply ``action`` (approve, hide, unhide) to one photo; return ``{state, changed, finding_id}``."""
    state = _check_action(action)
    photo_id = _uuid(photo_id)
    row = session.execute(text(LOCK_PHOTO_SQL), {"id": photo_id}).first() if photo_id else None
    if row is None or not may_see_finding(session, user, row.finding_id):
        raise _missing(session)
    changed = row.state != state
    if changed:
        session.execute(text("UPDATE photos SET moderation = :state WHERE id = :id"), {"state": state, "id": photo_id})
        _note(session, user, row.finding_id, photo_id, TRAIL[("photo", action)], {"from": row.state, "to": state})
    session.commit()
    return {"state": state, "changed": changed, "finding_id": str(row.finding_id)}


def clean_public_text(value, max_chars: int = Defaults.DESCRIPTION_MAX_CHARS) -> str:
    """A moderator's public text: a non-empty string of at most ``max_chars``; ValidationFailed names ``text``."""
    if not isinstance(value, str) or not value.strip():
        message = _("Bitte einen Text eingeben.")
        raise ValidationFailed(message, {"text": message})
    if "\x00" in value:
        message = _("Enthält ungültige Zeichen (Nullzeichen oder ungültiges Unicode).")
        raise ValidationFailed(message, {"text": message})
    value = value.strip()
    if len(value) > max_chars:
        message = _("Höchstens %(count)s Zeichen.", count=max_chars)
        raise ValidationFailed(message, {"text": message})
    return value


def edit_public_text(session: Session, user, finding_id, new_text, max_chars: int = Defaults.DESCRIPTION_MAX_CHARS
                     ) -> dict:
    """Publish ``new_text`` as the finding's public text (the participant's own stays for the team).

    An edit is a moderator's decision on what the public reads, so it also approves the text.
    The trail keeps the public text before (``old``: the edited one, else the participant's)
    and after (``new``). Returns ``{state, public_text, changed}``.
    """
    new_text = clean_public_text(new_text, max_chars)
    finding_id, row = _locked_text(session, user, finding_id)
    old_text = row.public_description if row.public_description is not None else row.description
    public = None if new_text == row.description else new_text
    changed = public != row.public_description or row.state != "approved"
    if changed:
        session.execute(text("""UPDATE findings SET public_description = :public, text_moderation = 'approved'
                                WHERE id = :id"""), {"public": public, "id": finding_id})
        _note(session, user, finding_id, None, TEXT_EDITED,
              {"old": old_text, "new": new_text, "from": row.state, "to": "approved"})
    session.commit()
    return {"state": "approved", "public_text": new_text, "changed": changed}


def trail(session: Session, finding_id) -> list[dict]:
    """The finding's moderation trail, oldest first: ``action``, ``detail``, ``at``, ``photo_id``, ``who``."""
    rows = session.execute(text("""
        SELECT e.action, e.detail, e.at, e.photo_id, COALESCE(u.display_name, u.username, e.actor) AS who
        FROM moderation_events e LEFT JOIN users u ON u.id = e.user_id
        WHERE e.finding_id = :id ORDER BY e.at, e.id
    """), {"id": _uuid(finding_id)}).mappings()
    return [dict(row) for row in rows]
