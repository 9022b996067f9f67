"""Sending the queued concerns to the city's Open311 endpoint. No Flask here.

``send_pending`` claims one row of ``city_submissions`` at a time with ``FOR UPDATE SKIP
LOCKED``, marks it ``sending`` and commits BEFORE the POST, so two workers never post the same
concern and a crash after the city accepted it cannot leave it ``pending`` (it becomes
``uncertain``; see :mod:`mapapp.open311.city.state` for the states). A definite failure is
kept (``failed``, ``attempts``, ``last_error``) and retried after an exponential backoff until
``max_attempts``. A successful send moves the concern to ``handed_over``, bumping its version
and writing its audit trail. A switched-off endpoint gets no traffic.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import attributes
from mapapp.exports.selection import _PEOPLE_SQL as PEOPLE_SQL
from mapapp.open311.city.client import CityError, CityUncertain, Endpoint, Open311Client
from mapapp.open311.city.endpoints import get_endpoint
from mapapp.open311.city.state import STALE_AFTER_SECONDS, hand_over, mark_stale
from mapapp.statuses import TRANSITIONS

DESCRIPTION_MAX_LENGTH = 4000
# Findings of a concern whose photos stay private (a rejected finding is not the city's business).
PRIVATE_FINDING_STATUSES = ("rejected",)


@dataclass(frozen=True)
class PublicLinks:
    """How to build the public URLs the city gets; made by the caller (:mod:`mapapp.open311.city.links`).

    ``photo``: a stored photo's hash → its public, EXIF-free copy. ``concern``: a concern id →
    its public page, or (``concern_is_page`` False) the public record that stands in for one.
    """

    photo: Callable[[str], str]
    concern: Callable[[str], str]
    concern_is_page: bool = True


@dataclass
class SendReport:
    sent: dict[str, str] = field(default_factory=dict)  # concern id → service_request_id or token
    failed: dict[str, str] = field(default_factory=dict)  # concern id → error
    uncertain: dict[str, str] = field(default_factory=dict)  # concern id → why (never re-sent by itself)


_CLAIM_SQL = """
    SELECT s.id, s.concern_id, s.endpoint_id FROM city_submissions s
    WHERE s.state IN ('pending', 'failed') AND s.attempts < :max_attempts AND NOT (s.id = ANY(:seen))
      AND EXISTS (SELECT 1 FROM city_endpoints e WHERE e.id = s.endpoint_id AND e.active)
      AND (s.attempts = 0
           OR s.updated_at + make_interval(secs => :backoff * power(2, s.attempts - 1)) <= now())
    ORDER BY s.id LIMIT 1
    FOR UPDATE OF s SKIP LOCKED
"""


@dataclass(frozen=True)
class _Claim:
    submission_id: int
    concern_id: uuid.UUID
    claimed_at: object
    endpoint: Endpoint
    form: dict


def merged_answers(session: Session, concern_id, category: str, include_text: bool) -> dict:
    """The answers of the concern's findings to the category's questions, one value per question.

    A multiple-choice question gets every answer given; any other the most frequent one (on a
    tie the earliest finding's). Free-text answers only with ``include_text`` (the public-text
    rule of the exports' ``--no-text`` and the OGC feed), joined when they differ.
    """
    questions = {q["code"]: q["datatype"] for q in attributes.questions(session, category)}
    given = session.execute(text("""
        SELECT attributes FROM findings WHERE concern_id = :id AND attributes <> '{}'::jsonb
        ORDER BY created_at, id
    """), {"id": concern_id}).scalars().all()
    merged = {}
    for code, datatype in questions.items():
        values = [answers[code] for answers in given if answers.get(code) not in (None, "", [])]
        if not values or (datatype in attributes.TEXT_MAX and not include_text):
            continue
        if datatype == "multivaluelist":
            merged[code] = sorted({item for value in values for item in value})
        elif datatype in attributes.TEXT_MAX:
            merged[code] = " / ".join(dict.fromkeys(str(v) for v in values))[:attributes.TEXT_MAX[datatype]]
        else:
            merged[code] = Counter(values).most_common(1)[0][0]
    return merged


def _photo(session: Session, concern_id) -> str | None:
    """The stored hash of the concern's first photo that may be public (as the GeoReport feed shows it)."""
    return session.execute(text("""
        SELECT p.stored_sha256 FROM photos p JOIN findings f ON f.id = p.finding_id
        WHERE f.concern_id = :id AND f.status <> ALL(:private)
        ORDER BY f.created_at, p.position, p.created_at LIMIT 1
    """), {"id": concern_id, "private": list(PRIVATE_FINDING_STATUSES)}).scalar()


def describe(concern, links: PublicLinks | None) -> str:
    """The description the city reads: title, summary, how many findings and people, the link back.

    German whatever the organiser's language, as the reports: the city works in German. Title
    and summary are cut so that the counts and the link always fit DESCRIPTION_MAX_LENGTH.
    """
    facts = [f"Funde: {concern.findings} · Personen: {concern.people}"]
    if links is not None:
        url = links.concern(str(concern.id))
        facts.append(f"Öffentliche Seite: {url}" if links.concern_is_page else
                     f"Öffentlicher Eintrag (eine eigene öffentliche Seite gibt es noch nicht): {url}")
    tail = "\n\n" + "\n".join(facts)
    text_part = "\n\n".join(part for part in (concern.title, concern.summary) if part)
    return text_part[:DESCRIPTION_MAX_LENGTH - len(tail)] + tail


def _prepare(session: Session, row, links: PublicLinks | None = None, include_text: bool = False) -> dict:
    """What to POST for the claimed ``row``; CityError when it cannot go (nothing is sent then)."""
    endpoint, service_map, active = get_endpoint(session, row.endpoint_id)
    concern = session.execute(text(f"""
        SELECT c.id, c.title, c.summary, c.status, c.category_slug, ST_Y(c.geom) AS lat, ST_X(c.geom) AS lon,
               (SELECT count(*) FROM findings f WHERE f.concern_id = c.id) AS findings, {PEOPLE_SQL} AS people
        FROM concerns c WHERE c.id = :id
    """), {"id": row.concern_id}).one()
    if not active:
        raise CityError("endpoint switched off")
    if concern.category_slug not in service_map:
        raise CityError(f"category {concern.category_slug!r} has no service_code for this endpoint")
    if "handed_over" not in TRANSITIONS.get(concern.status, ()):
        raise CityError(f"concern is {concern.status!r}, not confirmed")
    photo = _photo(session, concern.id) if links is not None else None
    return {"endpoint": endpoint, "service_code": service_map[concern.category_slug], "lat": concern.lat,
            "lon": concern.lon, "description": describe(concern, links),
            "attributes": merged_answers(session, concern.id, concern.category_slug, include_text),
            "media_url": links.photo(photo) if photo else None}


def _claim(session: Session, max_attempts: int, backoff_seconds: float, seen: list, report: SendReport,
           links: PublicLinks | None = None, include_text: bool = False):
    """Claim the next due submission: mark it ``sending`` and COMMIT before anything is posted.

    Returns a :class:`_Claim`, or None when nothing is due. One that cannot go is stored as
    failed and the next is tried.
    """
    while True:
        row = session.execute(text(_CLAIM_SQL), {"max_attempts": max_attempts, "seen": seen,
                                                 "backoff": backoff_seconds}).first()
        if row is None:
            session.rollback()
            return None
        seen.append(row.id)
        try:
            form = _prepare(session, row, links, include_text)
        except CityError as err:
            _store_outcome(session, row.id, None, "failed", err.message)
            report.failed[str(row.concern_id)] = err.message
            continue
        claimed_at = session.execute(text("""
            UPDATE city_submissions SET state = 'sending', claimed_at = clock_timestamp(), updated_at = now()
            WHERE id = :id RETURNING claimed_at
        """), {"id": row.id}).scalar()
        session.commit()
        return _Claim(row.id, row.concern_id, claimed_at, form.pop("endpoint"), form)


def _store_outcome(session: Session, submission_id: int, claimed_at, state: str, error: str) -> bool:
    """Store ``failed``/``uncertain`` on our claim (unless someone resolved it meanwhile); commit."""
    done = session.execute(text("""
        UPDATE city_submissions SET state = :state, attempts = attempts + 1, last_error = :error,
               updated_at = now()
        WHERE id = :id AND (CAST(:claimed_at AS timestamptz) IS NULL
                            OR (state IN ('sending', 'uncertain') AND claimed_at = :claimed_at))
    """), {"id": submission_id, "state": state, "error": error[:2000], "claimed_at": claimed_at}).rowcount
    session.commit()
    return bool(done)


def _store_sent(session: Session, claim: _Claim, answer: dict, user_id: int | None, actor: str | None) -> str:
    """The city accepted ``claim``: store its id/token and hand the concern over; commit."""
    request_id, token = answer.get("service_request_id"), answer.get("token")
    request_id, token = (str(request_id) if request_id else None), (str(token) if token else None)
    mine = session.execute(text("""
        UPDATE city_submissions SET state = 'sent', service_request_id = :request_id, token = :token,
               attempts = attempts + 1, last_error = NULL, sent_at = now(), updated_at = now()
        WHERE id = :id AND state IN ('sending', 'uncertain') AND claimed_at = :claimed_at
    """), {"id": claim.submission_id, "request_id": request_id, "token": token,
           "claimed_at": claim.claimed_at}).rowcount
    if mine:
        reference = request_id or f"token {token}"
        note = _("An die Stadt gesendet (%(ref)s).", ref=reference)
        hand_over(session, claim.concern_id, note, user_id, actor)
    session.commit()
    return request_id or token


def send_pending(session: Session, client: Open311Client, *, max_attempts: int = 5,
                 backoff_seconds: float = 60, user_id: int | None = None, actor: str | None = None,
                 stale_after_seconds: float = STALE_AFTER_SECONDS, links: PublicLinks | None = None,
                 include_text: bool = False) -> SendReport:
    """Send every queued or failed submission that is due; return what was sent, failed, or is uncertain.

    Each is claimed (``sending``, committed) before the POST, so no lock is held while the
    city answers and a crash leaves ``sending`` behind, which the next call turns into
    ``uncertain`` after ``stale_after_seconds`` (:func:`mark_stale`). A definite failure
    waits ``backoff_seconds * 2**(attempts-1)`` and is given up after ``max_attempts``; an
    uncertain one is never re-sent by itself.

    What goes (:func:`_prepare`): the category's ``service_code``, the place, the description
    (:func:`describe`: title, summary, numbers of findings and people, the link back when
    ``links`` are given), the findings' answers as ``attribute[...]`` (:func:`merged_answers`;
    free text only with ``include_text``) and, with ``links``, one public photo as ``media_url``.
    """
    report, seen = SendReport(), []
    report.uncertain.update(dict.fromkeys(mark_stale(session, stale_after_seconds), "interrupted"))
    while (claim := _claim(session, max_attempts, backoff_seconds, seen, report, links, include_text)) is not None:
        try:
            answer = client.post_request(claim.endpoint, **claim.form)
        except CityUncertain as err:
            _store_outcome(session, claim.submission_id, claim.claimed_at, "uncertain", err.message)
            report.uncertain[str(claim.concern_id)] = err.message
            continue
        except CityError as err:
            _store_outcome(session, claim.submission_id, claim.claimed_at, "failed", err.message)
            report.failed[str(claim.concern_id)] = err.message
            continue
        report.sent[str(claim.concern_id)] = _store_sent(session, claim, answer, user_id, actor)
    return report

