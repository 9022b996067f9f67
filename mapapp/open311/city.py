"""Sending concerns to the city's Open311 endpoint and following their status there. No Flask here.

A concern gets at most one row in ``city_submissions`` (UNIQUE ``concern_id``), so it is
queued once. ``send_pending`` claims one row at a time with ``FOR UPDATE SKIP LOCKED`` and
keeps the lock until the city's answer is stored, so two workers never post the same
concern. A failure is kept (``state='failed'``, ``attempts``, ``last_error``) and retried
after an exponential backoff until ``max_attempts``. A successful send moves the concern to
``handed_over``; ``refresh_statuses`` moves it to ``resolved`` once the city says ``closed``.
Both status changes bump the concern's version and write its audit trail, as
:func:`mapapp.review.concerns.change_status` does.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import ValidationFailed
from mapapp.open311.city_client import CityError, Open311Client
from mapapp.open311.city_endpoints import get_endpoint
from mapapp.review.concern_queries import TRANSITIONS

DESCRIPTION_MAX_LENGTH = 4000
BATCH = 50


@dataclass
class QueueReport:
    queued: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # concern id → why


@dataclass
class SendReport:
    sent: dict[str, str] = field(default_factory=dict)  # concern id → service_request_id or token
    failed: dict[str, str] = field(default_factory=dict)  # concern id → error


@dataclass
class RefreshReport:
    updated: dict[str, str] = field(default_factory=dict)  # concern id → city status
    resolved: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _change_status(session: Session, concern_id, from_status: str, to_status: str, note: str | None,
                   user_id: int | None) -> None:
    session.execute(text("""
        UPDATE concerns SET status = :to, version = version + 1, updated_at = now() WHERE id = :id
    """), {"to": to_status, "id": concern_id})
    session.execute(text("""
        INSERT INTO concern_events (concern_id, user_id, action, from_status, to_status, note)
        VALUES (:id, :user_id, 'status_changed', :from_status, :to_status, :note)
    """), {"id": concern_id, "user_id": user_id, "from_status": from_status, "to_status": to_status,
           "note": note})


# ---- queueing ----------------------------------------------------------------------


def _why_not(row, service_map: dict) -> str | None:
    """Why the concern ``row`` cannot be queued, or None."""
    if row.state == "sent":
        return _("Schon an die Stadt gesendet.")
    if row.state:
        return _("Wartet schon auf das Senden.")
    if row.category_slug not in service_map:
        return _("Die Kategorie „%(label)s“ ist bei diesem Endpunkt keinem service_code zugeordnet.",
                 label=row.label)
    if "handed_over" not in TRANSITIONS.get(row.status, ()):
        return _("Nur bestätigte Anliegen können an die Stadt gesendet werden.")
    return None


def queue_concerns(session: Session, endpoint_id: int, concern_ids) -> QueueReport:
    """Queue ``concern_ids`` for ``endpoint_id``; those that cannot go are reported with the reason."""
    _endpoint, service_map, active = get_endpoint(session, endpoint_id)
    if not active:
        raise ValidationFailed(_("Dieser Endpunkt ist abgeschaltet."), {"endpoint": _("abgeschaltet")})
    report = QueueReport()
    for raw in dict.fromkeys(str(item) for item in concern_ids):
        try:
            concern_id = uuid.UUID(raw)
        except ValueError:
            report.skipped[raw] = _("Das ist keine gültige Anliegen-ID.")
            continue
        row = session.execute(text("""
            SELECT c.status, c.category_slug, k.label_de AS label, s.state
            FROM concerns c JOIN categories k ON k.slug = c.category_slug
            LEFT JOIN city_submissions s ON s.concern_id = c.id WHERE c.id = :id
        """), {"id": concern_id}).first()
        reason = _("Dieses Anliegen gibt es nicht.") if row is None else _why_not(row, service_map)
        if reason is None and session.execute(text("""
            INSERT INTO city_submissions (concern_id, endpoint_id) VALUES (:id, :endpoint)
            ON CONFLICT (concern_id) DO NOTHING RETURNING id
        """), {"id": concern_id, "endpoint": endpoint_id}).scalar() is None:
            reason = _("Wartet schon auf das Senden.")
        if reason:
            report.skipped[raw] = reason
        else:
            report.queued.append(raw)
    session.commit()
    return report


# ---- sending -----------------------------------------------------------------------

_CLAIM_SQL = """
    SELECT id, concern_id, endpoint_id FROM city_submissions
    WHERE state IN ('pending', 'failed') AND attempts < :max_attempts AND NOT (id = ANY(:seen))
      AND (attempts = 0
           OR updated_at + make_interval(secs => :backoff * power(2, attempts - 1)) <= now())
    ORDER BY id LIMIT 1
    FOR UPDATE SKIP LOCKED
"""


def _post(session: Session, client: Open311Client, claim, user_id: int | None):
    """POST the claimed submission's concern; move it to handed_over; return ``(request id, token)``."""
    endpoint, service_map, active = get_endpoint(session, claim.endpoint_id)
    concern = session.execute(text("""
        SELECT title, summary, status, category_slug, ST_Y(geom) AS lat, ST_X(geom) AS lon
        FROM concerns WHERE id = :id FOR UPDATE
    """), {"id": claim.concern_id}).one()
    if not active:
        raise CityError("endpoint switched off")
    if concern.category_slug not in service_map:
        raise CityError(f"category {concern.category_slug!r} has no service_code for this endpoint")
    if "handed_over" not in TRANSITIONS.get(concern.status, ()):
        raise CityError(f"concern is {concern.status!r}, not confirmed")
    description = "\n\n".join(part for part in (concern.title, concern.summary) if part)
    answer = client.post_request(endpoint, service_code=service_map[concern.category_slug],
                                 lat=concern.lat, lon=concern.lon,
                                 description=description[:DESCRIPTION_MAX_LENGTH])
    request_id, token = answer.get("service_request_id"), answer.get("token")
    note = _("An die Stadt gesendet (%(ref)s).", ref=request_id or f"token {token}")
    _change_status(session, claim.concern_id, concern.status, "handed_over", note, user_id)
    return (str(request_id) if request_id else None), (str(token) if token else None)


def send_pending(session: Session, client: Open311Client, *, max_attempts: int = 5,
                 backoff_seconds: float = 60, user_id: int | None = None) -> SendReport:
    """Send every queued or failed submission that is due; return what was sent and what failed.

    A failed one waits ``backoff_seconds * 2**(attempts-1)`` before the next try and is given
    up after ``max_attempts`` (it stays listed as failed, with its last error).
    """
    report, seen = SendReport(), []
    while True:
        claim = session.execute(text(_CLAIM_SQL), {"max_attempts": max_attempts, "seen": seen,
                                                   "backoff": backoff_seconds}).first()
        if claim is None:
            session.rollback()
            return report
        seen.append(claim.id)
        savepoint = session.begin_nested()
        try:
            request_id, token = _post(session, client, claim, user_id)
        except CityError as err:
            savepoint.rollback()
            _store_failure(session, claim.id, err.message)
            report.failed[str(claim.concern_id)] = err.message
            continue
        except BaseException:
            session.rollback()
            raise
        savepoint.commit()
        session.execute(text("""
            UPDATE city_submissions SET state = 'sent', service_request_id = :request_id, token = :token,
                   attempts = attempts + 1, last_error = NULL, sent_at = now(), updated_at = now()
            WHERE id = :id
        """), {"id": claim.id, "request_id": request_id, "token": token})
        session.commit()
        report.sent[str(claim.concern_id)] = request_id or token


def _store_failure(session: Session, submission_id: int, error: str) -> None:
    """Keep the failure on the still-claimed row and release it for a later retry."""
    session.execute(text("""
        UPDATE city_submissions SET state = 'failed', attempts = attempts + 1, last_error = :error,
               updated_at = now()
        WHERE id = :id
    """), {"id": submission_id, "error": error[:2000]})
    session.commit()


# ---- following the city's status ---------------------------------------------------


def _resolve_tokens(session: Session, client: Open311Client, endpoint, endpoint_id: int) -> None:
    """Ask the city for the ids of submissions it answered with a token only."""
    rows = session.execute(text("""
        SELECT id, token FROM city_submissions
        WHERE endpoint_id = :endpoint AND state = 'sent' AND service_request_id IS NULL AND token IS NOT NULL
    """), {"endpoint": endpoint_id}).all()
    for row in rows:
        request_id = client.get_token(endpoint, row.token)
        if request_id:
            session.execute(text("""
                UPDATE city_submissions SET service_request_id = :rid, updated_at = now() WHERE id = :id
            """), {"rid": request_id, "id": row.id})
    session.commit()


def _apply(session: Session, row, answer: dict, report: RefreshReport, user_id: int | None) -> None:
    status = str(answer.get("status") or "")
    session.execute(text(
        "UPDATE city_submissions SET city_status = :status, updated_at = now() WHERE id = :id"
    ), {"status": status or None, "id": row.id})
    report.updated[str(row.concern_id)] = status
    if status.lower() != "closed":
        return
    current = session.execute(text("SELECT status FROM concerns WHERE id = :id FOR UPDATE"),
                              {"id": row.concern_id}).scalar()
    if current == "handed_over":
        note = answer.get("status_notes") or _("Von der Stadt als erledigt gemeldet.")
        _change_status(session, row.concern_id, current, "resolved", str(note), user_id)
        report.resolved.append(str(row.concern_id))


def _refresh_endpoint(session: Session, client: Open311Client, endpoint_id: int, report: RefreshReport,
                      user_id: int | None) -> None:
    endpoint, _map, _active = get_endpoint(session, endpoint_id)
    _resolve_tokens(session, client, endpoint, endpoint_id)
    rows = session.execute(text("""
        SELECT s.id, s.concern_id, s.service_request_id FROM city_submissions s
        JOIN concerns c ON c.id = s.concern_id
        WHERE s.endpoint_id = :endpoint AND s.state = 'sent' AND s.service_request_id IS NOT NULL
          AND c.status = 'handed_over'
        ORDER BY s.id
    """), {"endpoint": endpoint_id}).all()
    for start in range(0, len(rows), BATCH):
        batch = {row.service_request_id: row for row in rows[start:start + BATCH]}
        for answer in client.get_requests(endpoint, list(batch)):
            row = batch.get(str(answer.get("service_request_id")))
            if row is not None:
                _apply(session, row, answer, report, user_id)
        session.commit()


def refresh_statuses(session: Session, client: Open311Client, *, user_id: int | None = None) -> RefreshReport:
    """Fetch the city's status of every sent, not yet resolved concern; ``closed`` → ``resolved``.

    The city's ``status_notes`` become the note of the audit entry. An endpoint that cannot
    be reached is reported in ``errors``; the others are still asked.
    """
    report = RefreshReport()
    endpoint_ids = session.execute(text(
        "SELECT DISTINCT endpoint_id FROM city_submissions WHERE state = 'sent' ORDER BY endpoint_id"
    )).scalars().all()
    for endpoint_id in endpoint_ids:
        try:
            _refresh_endpoint(session, client, endpoint_id, report, user_id)
        except CityError as err:
            session.rollback()
            report.errors.append(err.message)
    return report


def overview(session: Session) -> list[dict]:
    """Confirmed concerns and every concern queued or sent, with the submission's state.

    ``next_attempt_at`` is when a failed one is tried again (the backoff of ``send_pending``
    with its default of 60 s).
    """
    rows = session.execute(text("""
        SELECT c.id, c.title, c.status, c.category_slug, k.label_de AS category_label,
               s.state, s.attempts, s.last_error, s.service_request_id, s.token, s.city_status,
               s.sent_at, e.name AS endpoint,
               CASE WHEN s.state = 'failed'
                    THEN s.updated_at + make_interval(secs => 60 * power(2, s.attempts - 1)) END
                   AS next_attempt_at
        FROM concerns c JOIN categories k ON k.slug = c.category_slug
        LEFT JOIN city_submissions s ON s.concern_id = c.id
        LEFT JOIN city_endpoints e ON e.id = s.endpoint_id
        WHERE c.status = 'confirmed' OR s.id IS NOT NULL
        ORDER BY s.state NULLS FIRST, c.updated_at DESC
    """)).mappings()
    return [dict(row) for row in rows]
