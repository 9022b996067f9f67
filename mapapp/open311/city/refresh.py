"""Following the city's status of sent concerns: ``closed`` at the city → ``resolved`` here. No Flask here.

Submissions the city answered with a token only get their ``service_request_id`` first. The
status change bumps the concern's version and writes its audit trail
(:func:`mapapp.open311.city.state.change_status`). A switched-off endpoint gets no traffic.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.open311.city.client import CityError, Open311Client
from mapapp.open311.city.endpoints import get_endpoint
from mapapp.open311.city.state import STALE_AFTER_SECONDS, change_status, mark_stale

BATCH = 50


@dataclass
class RefreshReport:
    updated: dict[str, str] = field(default_factory=dict)  # concern id → city status
    resolved: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # concern ids found stuck in 'sending'


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


def _apply(session: Session, row, answer: dict, report: RefreshReport, user_id: int | None,
           actor: str | None) -> None:
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
        change_status(session, row.concern_id, current, "resolved", str(note), user_id, actor)
        report.resolved.append(str(row.concern_id))


def _refresh_endpoint(session: Session, client: Open311Client, endpoint_id: int, report: RefreshReport,
                      user_id: int | None, actor: str | None) -> None:
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
                _apply(session, row, answer, report, user_id, actor)
        session.commit()


def refresh_statuses(session: Session, client: Open311Client, *, user_id: int | None = None,
                     actor: str | None = None, stale_after_seconds: float = STALE_AFTER_SECONDS) -> RefreshReport:
    """Fetch the city's status of every sent, not yet resolved concern; ``closed`` → ``resolved``.

    The city's ``status_notes`` become the note of the audit entry. An endpoint that cannot
    be reached is reported in ``errors``; the others are still asked. Stale ``sending`` rows
    become ``uncertain`` first (:func:`mark_stale`).
    """
    report = RefreshReport()
    report.uncertain = mark_stale(session, stale_after_seconds)
    endpoint_ids = session.execute(text("""
        SELECT DISTINCT s.endpoint_id FROM city_submissions s JOIN city_endpoints e ON e.id = s.endpoint_id
        WHERE s.state = 'sent' AND e.active ORDER BY s.endpoint_id
    """)).scalars().all()
    for endpoint_id in endpoint_ids:
        try:
            _refresh_endpoint(session, client, endpoint_id, report, user_id, actor)
        except CityError as err:
            session.rollback()
            report.errors.append(err.message)
    return report

