"""POST requests: turn a GeoReport form into a finding.

Personal fields a GeoReport client may send (email, first_name, last_name, phone,
device_id, account_id, address_id) are read by nobody and stored nowhere: findings are
anonymous, and we keep it that way for API clients too. ``address_string`` and
``media_url`` describe the matter, not the person: they are kept with the finding as text
(length-limited; the URL must be http or https and is never fetched) and shown in the
GeoReport answers and on the review page.
"""
from __future__ import annotations

import math
import re
import uuid
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.findings import attributes, store as findings
from mapapp.errors import BadRequest, ValidationFailed

ATTRIBUTE_FIELD = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
DISCARDED_FIELDS = ("email", "first_name", "last_name", "phone", "device_id", "account_id", "address_id")
ADDRESS_MAX_LENGTH = 250
MEDIA_URL_MAX_LENGTH = 2000


def _coordinate(form, name: str, low: float, high: float) -> float:
    raw = (form.get(name) or "").strip()
    if not raw:
        raise BadRequest(_("%(name)s fehlt: wir brauchen Koordinaten (lat und long).", name=name), {name: ""})
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not low <= value <= high:
        raise BadRequest(_("%(name)s ist keine gültige Koordinate.", name=name), {name: raw})
    return value


def _typed(datatype: str, value):
    """Form values are strings; numbers become numbers so the category check sees their type."""
    if datatype != "number" or not isinstance(value, str):
        return value
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value
    return int(number) if number.is_integer() else number


def read_answers(session: Session, category: str, form) -> dict:
    """Collect ``attribute[code]`` (and repeated ``attribute[code][]``) into code → value."""
    kinds = {q["code"]: q["datatype"] for q in attributes.questions(session, category)}
    answers = {}
    for key in form.keys():
        match = ATTRIBUTE_FIELD.match(key)
        if not match:
            continue
        code, many = match.group(1), match.group(2) or kinds.get(match.group(1)) == "multivaluelist"
        values = form.getlist(key)
        answers[code] = values if many else _typed(kinds.get(code, ""), values[-1])
    return answers


def address_string(form) -> str | None:
    """The client's ``address_string``: trimmed, one line, at most ADDRESS_MAX_LENGTH characters."""
    value = " ".join((form.get("address_string") or "").split())
    if len(value) > ADDRESS_MAX_LENGTH:
        raise BadRequest(_("address_string ist zu lang (höchstens %(n)s Zeichen).", n=ADDRESS_MAX_LENGTH),
                         {"address_string": value[:40] + "…"})
    return value or None


def media_url(form) -> str | None:
    """The client's ``media_url``: an absolute http(s) URL of at most MEDIA_URL_MAX_LENGTH characters.

    Kept as text for people to open; we never fetch it (no requests to addresses a client names).
    """
    value = (form.get("media_url") or "").strip()
    if not value:
        return None
    if len(value) > MEDIA_URL_MAX_LENGTH:
        raise BadRequest(_("media_url ist zu lang (höchstens %(n)s Zeichen).", n=MEDIA_URL_MAX_LENGTH),
                         {"media_url": value[:40] + "…"})
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname \
            or any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise BadRequest(_("media_url muss eine http- oder https-Adresse sein."), {"media_url": value[:80]})
    return value


def new_finding(session: Session, form) -> findings.NewFinding:
    """Build the finding a POST asks for; refuse a request without coordinates (address alone is not enough)."""
    category = (form.get("service_code") or "").strip()
    if not category:
        raise BadRequest(_("service_code fehlt."), {"service_code": ""})
    if not form.get("lat") and not form.get("long") and form.get("address_string"):
        raise BadRequest(_("Nur address_string reicht nicht: bitte lat und long senden."), {"lat": "", "long": ""})
    lat = _coordinate(form, "lat", -90, 90)
    lon = _coordinate(form, "long", -180, 180)
    description = (form.get("description") or "").strip() or None
    if description and len(description) > 2000:
        raise ValidationFailed(_("Die Beschreibung ist zu lang."), {"description": _("Höchstens 2000 Zeichen.")})
    return findings.NewFinding(
        id=uuid.uuid4(), category=category, geometry=findings.point_geometry(lat, lon),
        description=description, attributes=read_answers(session, category, form),
        geometry_fields=("lat", "long"), address_string=address_string(form), media_url=media_url(form),
    )


def client_fields(session: Session, finding_ids) -> dict[str, dict]:
    """``address_string`` and ``media_url`` of those findings that have one, by finding id (text)."""
    rows = session.execute(text("""
        SELECT id::text AS id, address_string, media_url FROM findings
        WHERE id = ANY(CAST(:ids AS uuid[])) AND (address_string IS NOT NULL OR media_url IS NOT NULL)
    """), {"ids": [str(i) for i in finding_ids]}).mappings()
    return {row["id"]: dict(row) for row in rows}


def submit(session: Session, form) -> str:
    """Store the finding the form describes; return its id (the service_request_id)."""
    new = new_finding(session, form)
    findings.create_finding(session, new)
    return str(new.id)
