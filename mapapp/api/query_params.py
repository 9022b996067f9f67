"""Query parameters of the JSON API: bbox, limit, the finding filter, ids and the nearby search.

Each parser raises ValidationFailed naming every bad parameter; an empty parameter
(``walk=``, as a form sends it) is one not given.
"""
from __future__ import annotations

import math
import uuid
from dataclasses import replace
from typing import Annotated

from flask_babel import gettext as _
from pydantic import BaseModel, Field, ValidationError

from mapapp.api.schemas import fields_from
from mapapp.errors import ValidationFailed
from mapapp.findings.filters import FindingFilter, read_filter


def _float_list(raw: str, name: str, count: int) -> list[float]:
    try:
        values = [float(part) for part in raw.split(",")]
    except ValueError:
        raise ValidationFailed(_("%(name)s: bitte Zahlen angeben.", name=name),
                               {name: _("Bitte Zahlen durch Kommas getrennt angeben.")}) from None
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise ValidationFailed(_("%(name)s: bitte %(count)s endliche Zahlen angeben.", name=name, count=count),
                               {name: _("Bitte %(count)s endliche Zahlen angeben.", count=count)})
    return values


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    west, south, east, north = _float_list(raw, "bbox", 4)
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ValidationFailed(_("Der Kartenausschnitt (bbox) ist außerhalb des gültigen Bereichs."),
                               {"bbox": _("Bitte W,S,E,N als Längen- und Breitengrade angeben.")})
    if west >= east or south >= north:
        raise ValidationFailed(_("Der Kartenausschnitt (bbox) ist leer."),
                               {"bbox": _("West muss kleiner als Ost sein und Süd kleiner als Nord.")})
    return west, south, east, north


def parse_finding_filter(args, default_limit: int, max_limit: int) -> tuple[FindingFilter, int]:
    """Query arguments → (the finding filter with ``bbox``, the limit); ValidationFailed names each bad one."""
    errors: dict[str, str] = {}
    flt = read_filter(args, errors)
    bbox, limit = None, default_limit
    if args.get("bbox"):
        try:
            bbox = parse_bbox(args["bbox"])
        except ValidationFailed as exc:
            errors.update(exc.fields)
    if args.get("limit"):
        try:
            limit = int(args["limit"])
        except ValueError:
            errors["limit"] = _("Muss eine ganze Zahl sein.")
        else:
            if not 1 <= limit <= max_limit:
                errors["limit"] = _("Muss zwischen 1 und %(limit)s liegen.", limit=max_limit)
    if errors:
        raise ValidationFailed(_("Einige Abfrageparameter sind nicht gültig."), errors)
    return replace(flt, bbox=bbox), limit


def parse_optional_uuid(args, name: str) -> uuid.UUID | None:
    raw = args.get(name)
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ValidationFailed(_("%(name)s ist nicht gültig.", name=name), {name: _("Keine gültige UUID.")}) from None


class NearbyQuery(BaseModel):
    """Query of ``GET /api/findings/nearby``."""

    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    category: Annotated[str, Field(min_length=1, max_length=40)]
    # At least a metre: a radius of 5e-324 underflows in PostgreSQL (a 500, found by fuzzing).
    radius: Annotated[float, Field(ge=1, le=200, allow_inf_nan=False)] = 30
    walk: uuid.UUID | None = None


def parse_nearby(args) -> dict:
    """Return keyword arguments for ``confirmations.nearby`` from query arguments.

    An empty parameter (``walk=``, as a form sends it) is one not given, as everywhere in the API.
    """
    try:
        query = NearbyQuery.model_validate({name: value for name, value in args.items() if value != ""})
    except ValidationError as exc:
        raise ValidationFailed(_("Einige Abfrageparameter sind nicht gültig."), fields_from(exc)) from None
    return {"lat": query.lat, "lon": query.lon, "category": query.category,
            "radius_m": query.radius, "walk_id": query.walk}
