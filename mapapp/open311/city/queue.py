"""Queueing concerns for the city's Open311 endpoint, and the overview of what is queued or sent. No Flask here.

A concern gets at most one row in ``city_submissions`` (UNIQUE ``concern_id``), so it is
queued once; only a confirmed concern whose category has a ``service_code`` at a switched-on
endpoint is queued. :mod:`mapapp.open311.city.sending` sends the queue.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import ValidationFailed
from mapapp.open311.city.endpoints import get_endpoint
from mapapp.statuses import TRANSITIONS


@dataclass
class QueueReport:
    queued: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # concern id → why


def _why_not(row, service_map: dict) -> str | None:
    """Why the concern ``row`` cannot be queued, or None."""
    if row.state == "sent":
        return _("Schon an die Stadt gesendet.")
    if row.state == "uncertain":
        return _("Unklar, ob die Stadt es erhalten hat: bitte erst klären.")
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


def overview(session: Session) -> list[dict]:
    """Confirmed concerns and every concern queued or sent, with the submission's state.

    ``next_attempt_at`` is when a failed one is tried again (the backoff of ``send_pending``
    with its default of 60 s).
    """
    rows = session.execute(text("""
        SELECT c.id, c.title, c.status, c.category_slug, k.label_de AS category_label,
               s.state, s.attempts, s.last_error, s.service_request_id, s.token, s.city_status,
               s.sent_at, s.claimed_at, e.name AS endpoint,
               CASE WHEN s.city_status IS NOT NULL THEN s.updated_at END AS status_checked_at,
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
