"""Concerns and unmerged findings as GeoReport service requests (read side, public: no key).

A finding already merged into a concern is represented by that concern only. No
participant, nickname or account data leaves here, and nothing internal to the review:
``status_notes`` is the concern's public message (``concerns.public_message``), never a
note of its audit trail, and ``agency_responsible`` the configured public name
(``PUBLIC_AGENCY_NAME``), never a team.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import filters as finding_filters
from mapapp.config import LOCAL_ZONE
from mapapp.errors import BadRequest, NotFound
from mapapp.moderation.visibility import photo_is_public_sql, public_column_sql, public_text_sql
from mapapp.findings.filters import FindingFilter
from mapapp.statuses import CLOSED_STATUSES, OPEN_STATUSES

DEFAULT_WINDOW = timedelta(days=90)
MAX_RESULTS = 1000

# A finding's free text (description, the client's address and media URL) and its photos only
# as the public may see them (mapapp/moderation/visibility.py); a concern's text is the team's.
ROWS_SQL = f"""
WITH items AS (
    SELECT k.id, k.status, k.category_slug, COALESCE(k.summary, k.title) AS description,
           k.geom, k.ortsteil_id, k.stadtbezirk_id, k.created_at, k.updated_at,
           k.public_message AS status_notes,
           (SELECT p.stored_sha256 FROM photos p JOIN findings pf ON pf.id = p.finding_id
            WHERE pf.concern_id = k.id AND {photo_is_public_sql('p')}
            ORDER BY pf.created_at, p.position, p.created_at LIMIT 1) AS photo,
           NULL AS address_string, NULL AS media_url
    FROM concerns k
    UNION ALL
    SELECT f.id, f.status, f.category_slug, {public_text_sql('f')}, ST_PointOnSurface(f.geom),
           f.ortsteil_id, f.stadtbezirk_id, f.created_at, f.updated_at, NULL,
           (SELECT p.stored_sha256 FROM photos p WHERE p.finding_id = f.id AND {photo_is_public_sql('p')}
            ORDER BY p.position, p.created_at LIMIT 1),
           {public_column_sql('address_string', 'f')}, {public_column_sql('media_url', 'f')}
    FROM findings f WHERE f.concern_id IS NULL
)
SELECT i.id, i.status, i.status_notes, i.category_slug, c.label_de, c.label_en, i.description,
       i.created_at, i.updated_at, o.name AS ortsteil, s.name AS stadtbezirk,
       ST_Y(i.geom) AS lat, ST_X(i.geom) AS lon, i.photo, i.address_string, i.media_url
FROM items i
JOIN categories c ON c.slug = i.category_slug
LEFT JOIN districts o ON o.id = i.ortsteil_id
LEFT JOIN districts s ON s.id = i.stadtbezirk_id
WHERE {{where}}
ORDER BY i.created_at DESC, i.id
LIMIT :limit
"""


@dataclass
class RequestQuery:
    """The GeoReport filters of ``GET requests``; ``ids`` overrides all others (as the spec says)."""

    ids: list[uuid.UUID] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    status: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    locale: str | None = None


def parse_datetime(value: str | None, name: str, *, end: bool = False) -> datetime | None:
    """Read an ISO 8601 / W3C datetime (or date); a value without offset is Duisburg local time.

    A date alone is a whole Duisburg day, as in every other filter of findings
    (mapapp/findings/filters.py): as ``end`` it reaches to the last moment of that day.
    """
    if not value:
        return None
    text_value = value.strip().replace(" ", "+")
    try:
        parsed = datetime.fromisoformat(text_value)
    except ValueError:
        raise BadRequest(_("%(name)s ist kein Datum nach ISO 8601.", name=name), {name: value}) from None
    if end and _is_day(text_value):
        next_day = datetime.combine(parsed.date() + timedelta(days=1), time(), tzinfo=LOCAL_ZONE)
        return next_day - timedelta(microseconds=1)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=LOCAL_ZONE)


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def parse_query(args) -> RequestQuery:
    """Build a RequestQuery from request arguments (a mapping of strings)."""
    ids = []
    for part in filter(None, (p.strip() for p in (args.get("service_request_id") or "").split(","))):
        try:
            ids.append(uuid.UUID(part))
        except ValueError:
            raise BadRequest(_("Ungültige service_request_id „%(id)s“.", id=part),
                             {"service_request_id": part}) from None
    status = args.get("status") or None
    if status not in (None, "open", "closed"):
        raise BadRequest(_("status muss open oder closed sein."), {"status": status})
    codes = [c.strip() for c in (args.get("service_code") or "").split(",") if c.strip()]
    return RequestQuery(ids=ids, service_codes=codes, status=status,
                        start=parse_datetime(args.get("start_date"), "start_date"),
                        end=parse_datetime(args.get("end_date"), "end_date", end=True), locale=args.get("locale"))


def date_range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """The ``requested_datetime`` range to search, as GeoReport v2 defines it.

    The spec: a range "may not span more than 90 days"; when not specified it "defaults to
    most recent 90 days". So neither date → the last 90 days; only ``start_date`` → the 90
    days from it; only ``end_date`` → the 90 days up to it; a longer (or reversed) range is
    refused with 400.
    """
    if start is None and end is None:
        end = datetime.now(timezone.utc)
    if start is None:
        start = end - DEFAULT_WINDOW
    elif end is None:
        end = start + DEFAULT_WINDOW
    if end < start:
        raise BadRequest(_("end_date liegt vor start_date."), {"end_date": end.isoformat()})
    if end - start > DEFAULT_WINDOW:
        raise BadRequest(_("Zwischen start_date und end_date dürfen höchstens 90 Tage liegen."),
                         {"start_date": start.isoformat(), "end_date": end.isoformat()})
    return start, end


def _where(query: RequestQuery) -> tuple[str, dict]:
    if query.ids:
        return "i.id = ANY(:ids)", {"ids": query.ids}
    start, end = date_range(query.start, query.end)
    statuses = {None: (), "open": OPEN_STATUSES, "closed": CLOSED_STATUSES}[query.status]
    where, params = finding_filters.where_sql(
        FindingFilter(categories=query.service_codes, statuses=statuses), "i", own_status=True)
    return f"i.created_at >= :start AND i.created_at <= :end AND {where}", params | {"start": start, "end": end}


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(LOCAL_ZONE).isoformat(timespec="seconds") if value else None


def _as_request(row, base_url: str, locale: str | None, agency: str | None) -> dict:
    english = (locale or "").lower().startswith("en")
    address = row["address_string"] or ", ".join(part for part in (row["ortsteil"], row["stadtbezirk"]) if part) or None
    return {
        "service_request_id": str(row["id"]),
        "status": "closed" if row["status"] in CLOSED_STATUSES else "open",
        "status_notes": row["status_notes"],
        "service_name": row["label_en"] if english else row["label_de"],
        "service_code": row["category_slug"],
        "description": row["description"],
        "agency_responsible": agency,
        "service_notice": None,
        "requested_datetime": _iso(row["created_at"]),
        "updated_datetime": _iso(row["updated_at"]),
        "expected_datetime": None,
        "address": address,
        "address_id": None,
        "zipcode": None,
        "lat": round(row["lat"], 7),
        "long": round(row["lon"], 7),
        "media_url": f"{base_url.rstrip('/')}/photos/{row['photo']}/web.jpg" if row["photo"] else row["media_url"],
    }


def list_requests(session: Session, query: RequestQuery, base_url: str) -> list[dict]:
    """Return the matching service requests, newest first, at most MAX_RESULTS (the spec's 1000)."""
    where, params = _where(query)
    rows = session.execute(text(ROWS_SQL.format(where=where)), params | {"limit": MAX_RESULTS}).mappings()
    agency = current_app.config.get("PUBLIC_AGENCY_NAME") or None
    return [_as_request(row, base_url, query.locale, agency) for row in rows]


def get_request(session: Session, request_id: str, base_url: str, locale: str | None = None) -> dict:
    """Return one service request by its uuid; NotFound when there is none."""
    try:
        ids = [uuid.UUID(request_id)]
    except ValueError:
        ids = []
    found = list_requests(session, RequestQuery(ids=ids, locale=locale), base_url) if ids else []
    if not found:
        raise NotFound(_("Diese Meldung gibt es nicht."))
    return found[0]
