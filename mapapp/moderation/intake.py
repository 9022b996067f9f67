"""The moderation state of what participants send and change. No Flask needed.

A new finding's text starts in the mode's state (``settings.initial_state``), or ``approved``
when it has no free text (:func:`text_state`); a new photo in the mode's state. When the
participant changes their text later, a moderator's edited public text no longer fits and is
dropped, and the text goes through moderation again: ``pending`` in ``pre`` mode, and in every
mode when a team had hidden it (so an edit cannot bring hidden text back to the public by itself).
"""
from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.moderation.settings import initial_state
from mapapp.moderation.visibility import APPROVED, FREE_TEXT_TYPES, HAS_STORED_TEXT_SQL

RESUBMIT_SQL = f"""
    UPDATE findings f SET public_description = NULL,
        text_moderation = CASE WHEN NOT {HAS_STORED_TEXT_SQL} THEN '{APPROVED}'
                               WHEN f.text_moderation = 'hidden' THEN 'pending'
                               ELSE CAST(:text_state AS varchar) END
    WHERE f.id = :id
"""

# The fields of a participant's change that are free text.
TEXT_FIELDS = ("description", "attributes")


def has_text(description: str | None, answers: dict, questions: list[dict], *others: str | None) -> bool:
    """Whether a new finding has free text to moderate: a description, an answer to one of
    ``questions`` (``{code, datatype}``) of a free-text type, or another text (``others``:
    an Open311 client's address or media URL)."""
    free = {q["code"] for q in questions if q["datatype"] in FREE_TEXT_TYPES}
    texts = [description, *others, *(str(v) for code, v in (answers or {}).items() if code in free)]
    return any(value and str(value).strip() for value in texts)


def text_state(description: str | None, answers: dict, questions: list[dict], *others: str | None,
               mode: str | None = None) -> str:
    """The state a new finding's text starts in: the mode's, or approved when there is no text."""
    return initial_state(mode) if has_text(description, answers, questions, *others) else APPROVED


def resubmit_text(session: Session, finding_id: uuid.UUID, changed: list[str], mode: str | None = None) -> None:
    """After a participant's change (``changed``: the fields it changed), moderate the text again if it changed."""
    if any(name in TEXT_FIELDS for name in changed):
        session.execute(text(RESUBMIT_SQL), {"id": finding_id, "text_state": initial_state(mode)})
