"""Anonymous participants: a random id in a signed, HttpOnly cookie, and nothing else.

Joining a walk needs no account and no personal data; the cookie lets a participant
edit and delete their own findings and mark which pins on the map are theirs.

The pages that capture findings issue the cookie (``issue_cookie``); its database row is made
on first use. A +1 needs the cookie (``require_participant``): only our pages issue it, and
SameSite=Lax keeps it off cross-site POSTs, so requests that never loaded a page cannot
raise a count, one new participant per request.
"""
from __future__ import annotations

import uuid

from flask import Flask, current_app, request
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import Forbidden

COOKIE = "mapapp_participant"
NEW_ID = "mapapp.new_participant_id"
MAX_AGE = 180 * 24 * 3600
NICKNAME_MAX = 40


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="participant")


def current_participant_id() -> uuid.UUID | None:
    """Return the id in the request's participant cookie, if it carries a valid one.

    Kept on the request (not on ``g``, which lives as long as the app context and can
    outlast one request).
    """
    if NEW_ID in request.environ:
        return request.environ[NEW_ID]
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        return uuid.UUID(_serializer().loads(token))
    except (BadSignature, ValueError, TypeError):
        return None


def issue_cookie() -> uuid.UUID | None:
    """Give the browser a participant id now, without a database row yet.

    Pages that capture findings call this, so that even the first POST, and any retry
    of it after a lost answer, carries the same id: the row is made on first use.
    A page fetched in the background (the service worker storing it for offline use) gets
    none: its answer could arrive after a follow link's "take over" and replace the
    participant just taken over with a new one. Returns None then.
    """
    participant_id = current_participant_id()
    if participant_id is None:
        if _background_page_fetch():
            return None
        participant_id = uuid.uuid4()
        request.environ[NEW_ID] = participant_id
    return participant_id


def _background_page_fetch() -> bool:
    """A GET made by a script (fetch: ``Sec-Fetch-Dest: empty``), not a visit to the page."""
    return request.method == "GET" and request.headers.get("Sec-Fetch-Dest", "document") not in ("document", "iframe")


def adopt_participant(participant_id: uuid.UUID) -> None:
    """Make this browser the participant ``participant_id`` (its cookie is set on the response).

    Their private follow link's "Auf diesem Gerät übernehmen" (mapapp/follow) calls this: the
    phone then lists, edits and deletes that participant's findings. Others holding the same
    id keep it.
    """
    request.environ[NEW_ID] = participant_id


def ensure_participant(session: Session, walk_id: uuid.UUID | None = None,
                       nickname: str | None = None) -> uuid.UUID:
    """Return the current participant, making its row (and its cookie) when missing."""
    participant_id = issue_cookie()
    created = session.execute(
        text("""INSERT INTO participants (id, walk_id, nickname) VALUES (:id, :walk_id, :nickname)
                ON CONFLICT (id) DO NOTHING RETURNING 1"""),
        {"id": participant_id, "walk_id": walk_id, "nickname": _clean(nickname)},
    ).first()
    session.commit()
    if not created and (nickname is not None or walk_id is not None):
        update_participant(session, participant_id, walk_id, nickname)
    return participant_id


class ParticipantRequired(Forbidden):
    """The request carries no participant cookie, which the pages always have."""

    code = "participant_required"


def require_participant(session: Session) -> uuid.UUID:
    """Return the participant of the request's cookie, making its row on first use.

    A request without a valid cookie is refused: it did not come from our pages.
    """
    if current_participant_id() is None:
        message = _("Bitte öffne zuerst die Karte, dann kannst du Funde bestätigen.")
        raise ParticipantRequired(message, {COOKIE: message})
    return ensure_participant(session)


def update_participant(session: Session, participant_id: uuid.UUID, walk_id: uuid.UUID | None,
                       nickname: str | None) -> None:
    session.execute(
        text("""UPDATE participants SET walk_id = COALESCE(:walk_id, walk_id),
                nickname = COALESCE(:nickname, nickname) WHERE id = :id"""),
        {"id": participant_id, "walk_id": walk_id, "nickname": _clean(nickname)},
    )
    session.commit()


def _clean(nickname: str | None) -> str | None:
    if nickname is None:
        return None
    return nickname.strip()[:NICKNAME_MAX] or None


def init_app(app: Flask) -> None:
    """Set the participant cookie on responses to requests that created a participant."""

    @app.after_request
    def set_cookie(response):
        participant_id = request.environ.get(NEW_ID)
        if participant_id:
            response.set_cookie(
                COOKIE, _serializer().dumps(str(participant_id)), max_age=MAX_AGE, httponly=True, samesite="Lax",
                secure=request.is_secure, path="/",
            )
        return response
