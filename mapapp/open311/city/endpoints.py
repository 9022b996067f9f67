"""The city's Open311 endpoints an organiser configures: URL, jurisdiction, our key, service codes.

No Flask here. The city's ``api_key`` is stored as given (every request must carry it),
so it is never shown again after creation except as its last four characters; editing an
endpoint keeps the stored key unless a new one is given.
"""
from __future__ import annotations

import json
import urllib.parse

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mapapp.errors import NotFound, ValidationFailed
from mapapp.open311.city.client import Endpoint


def parse_map(pairs) -> dict[str, str]:
    """``["slug=code", …]`` (or a text with one pair a line) → ``{slug: code}``."""
    if isinstance(pairs, str):
        pairs = pairs.replace(",", "\n").splitlines()
    result = {}
    for pair in pairs or ():
        if not pair.strip():
            continue
        slug, sep, code = pair.partition("=")
        if not sep or not slug.strip() or not code.strip():
            message = _("Zuordnungen bitte als kategorie=service_code angeben: %(pair)s", pair=pair.strip())
            raise ValidationFailed(message, {"service_map": message})
        result[slug.strip()] = code.strip()
    return result


def _check(session: Session, name: str, base_url: str, api_key: str | None, service_map: dict) -> dict:
    """Field → what is wrong; ``api_key`` None means "keep the stored one" (not checked)."""
    errors = {}
    if not name:
        errors["name"] = _("Bitte einen Namen angeben.")
    parsed = urllib.parse.urlsplit(base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        errors["base_url"] = _("Bitte die Adresse des Open311-Endpunkts (http/https) angeben.")
    if api_key is not None and not api_key:
        errors["api_key"] = _("Bitte den API-Schlüssel der Stadt angeben.")
    known = set(session.execute(text("SELECT slug FROM categories")).scalars())
    unknown = sorted(set(service_map) - known)
    if unknown:
        errors["service_map"] = _("Unbekannte Kategorien: %(slugs)s", slugs=", ".join(unknown))
    elif not service_map:
        errors["service_map"] = _("Bitte mindestens eine Kategorie einem service_code zuordnen.")
    return errors


def add_endpoint(session: Session, *, name: str, base_url: str, api_key: str,
                 jurisdiction_id: str | None = None, service_map: dict | None = None) -> int:
    """Store a city endpoint; return its id. ``service_map`` maps our category slugs to service codes."""
    name, base_url, api_key = (name or "").strip(), (base_url or "").strip(), (api_key or "").strip()
    service_map = service_map or {}
    errors = _check(session, name, base_url, api_key, service_map)
    if errors:
        raise ValidationFailed(_("Bitte die markierten Angaben prüfen."), errors)
    try:
        endpoint_id = session.execute(text("""
            INSERT INTO city_endpoints (name, base_url, jurisdiction_id, api_key, service_map)
            VALUES (:name, :base_url, :jurisdiction, :api_key, CAST(:map AS jsonb)) RETURNING id
        """), {"name": name, "base_url": base_url, "jurisdiction": (jurisdiction_id or "").strip() or None,
               "api_key": api_key, "map": json.dumps(service_map)}).scalar()
        session.commit()
    except IntegrityError:
        _name_taken(session)
    return endpoint_id


def _name_taken(session: Session):
    session.rollback()
    message = _("Diesen Namen gibt es schon.")
    raise ValidationFailed(message, {"name": message}) from None


def update_endpoint(session: Session, endpoint_id: int, *, name: str, base_url: str,
                    jurisdiction_id: str | None, service_map: dict, active: bool,
                    api_key: str | None = None) -> None:
    """Change an endpoint; an empty or missing ``api_key`` keeps the stored key.

    Queued submissions follow the changed URL and service codes; a switched-off endpoint
    queues and sends nothing until it is switched on again.
    """
    name, base_url = (name or "").strip(), (base_url or "").strip()
    api_key = (api_key or "").strip() or None
    get_endpoint(session, endpoint_id)
    errors = _check(session, name, base_url, api_key, service_map or {})
    if errors:
        raise ValidationFailed(_("Bitte die markierten Angaben prüfen."), errors)
    try:
        session.execute(text("""
            UPDATE city_endpoints SET name = :name, base_url = :base_url, jurisdiction_id = :jurisdiction,
                   api_key = COALESCE(:api_key, api_key), service_map = CAST(:map AS jsonb), active = :active
            WHERE id = :id
        """), {"id": endpoint_id, "name": name, "base_url": base_url, "api_key": api_key,
               "jurisdiction": (jurisdiction_id or "").strip() or None, "map": json.dumps(service_map),
               "active": bool(active)})
        session.commit()
    except IntegrityError:
        _name_taken(session)


def set_active(session: Session, endpoint_id: int, active: bool) -> None:
    """Switch an endpoint on or off."""
    get_endpoint(session, endpoint_id)
    session.execute(text("UPDATE city_endpoints SET active = :active WHERE id = :id"),
                    {"id": endpoint_id, "active": bool(active)})
    session.commit()


def endpoint_form(session: Session, endpoint_id: int) -> dict:
    """The editable fields of an endpoint for a form: never the key, only whether one is stored."""
    row = session.execute(text("""
        SELECT id, name, base_url, COALESCE(jurisdiction_id, '') AS jurisdiction_id, service_map, active,
               api_key <> '' AS has_key
        FROM city_endpoints WHERE id = :id
    """), {"id": endpoint_id}).mappings().first()
    if row is None:
        raise NotFound(_("Diesen Endpunkt der Stadt gibt es nicht."))
    form = dict(row)
    form["service_map"] = "\n".join(f"{slug}={code}" for slug, code in sorted(form["service_map"].items()))
    return form


def list_endpoints(session: Session) -> list[dict]:
    """All endpoints, the key shown only by its last four characters."""
    rows = session.execute(text("""
        SELECT id, name, base_url, jurisdiction_id, right(api_key, 4) AS key_end, service_map, active,
               created_at FROM city_endpoints ORDER BY name
    """)).mappings()
    return [dict(row) for row in rows]


def get_endpoint(session: Session, endpoint_id: int):
    """``(Endpoint, service_map, active)`` for ``endpoint_id``; NotFound if there is none."""
    row = session.execute(text(
        "SELECT base_url, api_key, jurisdiction_id, service_map, active FROM city_endpoints WHERE id = :id"
    ), {"id": endpoint_id}).first()
    if row is None:
        raise NotFound(_("Diesen Endpunkt der Stadt gibt es nicht."))
    return Endpoint(row.base_url, row.api_key, row.jurisdiction_id), row.service_map, row.active
