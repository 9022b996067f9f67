"""State changes of a city submission outside a normal send. No Flask here.

States: ``pending`` → (claimed) ``sending`` → ``sent`` | ``failed`` (retried later) |
``uncertain``. A submission is ``uncertain`` when the POST may have reached the city but we
have no answer: the city timed out or hung up after the request was sent, or the process that
claimed it died (a row left in ``sending`` longer than ``stale_after_seconds``). Uncertain rows
are never re-sent automatically; an organiser checks with the city and then either records the
city's ``service_request_id`` (:func:`mark_sent`) or sends it again (:func:`send_again`).
"""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import Conflict, NotFound, ValidationFailed
from mapapp.statuses import TRANSITIONS

STALE_AFTER_SECONDS = 600


def change_status(session: Session, concern_id, from_status: str, to_status: str, note: str | None,
                  user_id: int | None, actor: str | None = None) -> None:
    """Move the concern and write its audit entry, as :func:`mapapp.review.concerns.workflow.change_status` does."""
    session.execute(text("""
        UPDATE concerns SET status = :to, version = version + 1, updated_at = now() WHERE id = :id
    """), {"to": to_status, "id": concern_id})
    add_event(session, concern_id, "status_changed", note, user_id, from_status, to_status, actor=actor)


def add_event(session: Session, concern_id, action: str, note: str | None, user_id: int | None,
              from_status: str | None = None, to_status: str | None = None, actor: str | None = None) -> None:
    """Write one audit entry; ``actor`` names who acted on the command line ("cli:maria")."""
    session.execute(text("""
        INSERT INTO concern_events (concern_id, user_id, actor, action, from_status, to_status, note)
        VALUES (:id, :user_id, :actor, :action, :from_status, :to_status, :note)
    """), {"id": concern_id, "user_id": user_id, "actor": actor, "action": action, "from_status": from_status,
           "to_status": to_status, "note": note})


def hand_over(session: Session, concern_id, note: str, user_id: int | None, actor: str | None = None) -> None:
    """The city has the concern: move it to ``handed_over`` if its status allows, else just note it."""
    current = session.execute(text("SELECT status FROM concerns WHERE id = :id FOR UPDATE"),
                              {"id": concern_id}).scalar()
    if "handed_over" in TRANSITIONS.get(current, ()):
        change_status(session, concern_id, current, "handed_over", note, user_id, actor)
    else:
        add_event(session, concern_id, "city_sent", note, user_id, actor=actor)


def mark_stale(session: Session, stale_after_seconds: float = STALE_AFTER_SECONDS) -> list[str]:
    """Turn rows left in ``sending`` longer than ``stale_after_seconds`` into ``uncertain``; commit.

    Their claimer died (or hangs) between claiming and storing the city's answer, so the city
    may have the request. Returns the concern ids.
    """
    ids = session.execute(text("""
        UPDATE city_submissions
        SET state = 'uncertain', attempts = attempts + 1, updated_at = now(),
            last_error = 'sending was interrupted: no answer stored since ' || to_char(claimed_at, 'YYYY-MM-DD HH24:MI:SSOF')
        WHERE state = 'sending' AND claimed_at < now() - make_interval(secs => :stale)
        RETURNING concern_id
    """), {"stale": stale_after_seconds}).scalars().all()
    session.commit()
    return [str(concern_id) for concern_id in ids]


def _uncertain(session: Session, concern_id) -> tuple[uuid.UUID, object]:
    """Lock and return ``(concern uuid, submission row)``; refuse unless the submission is uncertain."""
    try:
        concern_uuid = uuid.UUID(str(concern_id))
    except ValueError:
        raise NotFound(_("Dieses Anliegen gibt es nicht.")) from None
    row = session.execute(text(
        "SELECT id, state FROM city_submissions WHERE concern_id = :id FOR UPDATE"
    ), {"id": concern_uuid}).first()
    if row is None:
        raise NotFound(_("Dieses Anliegen wurde nicht an die Stadt gesendet."))
    if row.state != "uncertain":
        raise Conflict(_("Nur Anliegen mit unklarem Versand können so geklärt werden."))
    return concern_uuid, row


def mark_sent(session: Session, concern_id, service_request_id: str, user_id: int | None = None,
              actor: str | None = None) -> None:
    """The organiser found the request at the city: store its id and hand the concern over; commit."""
    service_request_id = (service_request_id or "").strip()
    if not service_request_id:
        message = _("Bitte die Vorgangsnummer der Stadt (service_request_id) angeben.")
        raise ValidationFailed(message, {"service_request_id": message})
    concern_uuid, row = _uncertain(session, concern_id)
    session.execute(text("""
        UPDATE city_submissions SET state = 'sent', service_request_id = :rid, last_error = NULL,
               claimed_at = NULL, sent_at = now(), updated_at = now()
        WHERE id = :id
    """), {"id": row.id, "rid": service_request_id[:200]})
    note = _("Versand geklärt: Die Stadt hat die Meldung erhalten (%(ref)s).", ref=service_request_id[:200])
    hand_over(session, concern_uuid, note, user_id, actor)
    session.commit()


def send_again(session: Session, concern_id, user_id: int | None = None, actor: str | None = None) -> None:
    """The organiser confirmed with the city that it did not arrive: queue it again; commit."""
    concern_uuid, row = _uncertain(session, concern_id)
    session.execute(text("""
        UPDATE city_submissions SET state = 'pending', attempts = 0, claimed_at = NULL, updated_at = now()
        WHERE id = :id
    """), {"id": row.id})
    note = _("Versand geklärt: Laut Organisationsteam ist die Meldung nicht bei der Stadt angekommen; "
             "sie wird erneut gesendet.")
    add_event(session, concern_uuid, "city_send_again", note, user_id, actor=actor)
    session.commit()
