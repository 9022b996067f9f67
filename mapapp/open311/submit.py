"""POST requests: turn a GeoReport form into a finding.

Personal fields a GeoReport client may send (email, first_name, last_name, phone,
device_id, account_id, address_id, media_url) are read by nobody and stored nowhere:
findings are anonymous, and we keep it that way for API clients too.
"""
from __future__ import annotations

import math
import re
import uuid

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from mapapp import attributes, findings
from mapapp.errors import BadRequest, ValidationFailed

ATTRIBUTE_FIELD = re.compile(r"^attribute\[([^\]]+)\](\[\])?$")
DISCARDED_FIELDS = ("email", "first_name", "last_name", "phone", "device_id", "account_id",
                    "address_id", "media_url")


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
        geometry_fields=("lat", "long"),
    )


def submit(session: Session, form) -> str:
    """Store the finding the form describes; return its id (the service_request_id)."""
    new = new_finding(session, form)
    findings.create_finding(session, new)
    return str(new.id)
