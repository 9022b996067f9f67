"""Request bodies of the JSON API: the finding models validating them, with one message per bad field.

Query parameters are read in mapapp/api/query_params.py; texts the database cannot store are
refused by the request guards (mapapp/security/guards.py) before either.
"""
from __future__ import annotations

import json
import math
import uuid
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError, field_validator, model_validator

from flask_babel import gettext as _

from mapapp.api.error_texts import pydantic_message
from mapapp.errors import BadRequest, ValidationFailed
from mapapp.findings.store import NewFinding, point_geometry
from mapapp.findings.own import FindingChanges
from mapapp.security.guards import bad_characters_message, contains_unstorable, printable

DESCRIPTION_MAX = 2000
LINE_MAX_VERTICES = 200

Latitude = Annotated[float, Field(strict=True, ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(strict=True, ge=-180, le=180, allow_inf_nan=False)]


def _drop_default(schema: dict) -> None:
    schema.pop("default", None)


def _absent() -> Any:
    """Default of a field that may be left out but, when given, not be null: the document
    shows it without null (and without the ``default: null`` that would contradict it)."""
    return Field(default=None, json_schema_extra=_drop_default)


def _check_position(position: Any) -> None:
    if not isinstance(position, list) or len(position) not in (2, 3):
        raise ValueError(_("Jede Position muss [Längengrad, Breitengrad] sein."))
    for value in position:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(_("Koordinaten müssen endliche Zahlen sein."))
    lon, lat = position[0], position[1]
    if not -180 <= lon <= 180 or not -90 <= lat <= 90:
        raise ValueError(_("Koordinaten: Längengrad von -180 bis 180, Breitengrad von -90 bis 90."))


def check_geometry(geometry: Any) -> str:
    """Return a GeoJSON Point or LineString as text, or raise ValueError saying what is wrong."""
    if not isinstance(geometry, dict):
        raise ValueError(_("Die Geometrie muss ein GeoJSON-Objekt sein."))
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        _check_position(coordinates)
    elif kind == "LineString":
        if not isinstance(coordinates, list) or not 2 <= len(coordinates) <= LINE_MAX_VERTICES:
            raise ValueError(_("Eine Linie braucht 2 bis %(count)s Punkte.", count=LINE_MAX_VERTICES))
        for position in coordinates:
            _check_position(position)
        if len({tuple(p[:2]) for p in coordinates}) < 2:
            raise ValueError(_("Eine Linie braucht mindestens zwei verschiedene Punkte."))
    else:
        raise ValueError(_("Die Geometrie muss ein GeoJSON-Point oder -LineString sein."))
    return json.dumps({"type": kind, "coordinates": _flat(coordinates)})


_POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "prefixItems": [
    {"type": "number", "minimum": -180, "maximum": 180, "description": "longitude"},
    {"type": "number", "minimum": -90, "maximum": 90, "description": "latitude"},
    {"type": "number", "description": "height, dropped"},
]}
GEOMETRY_SCHEMA = {
    "description": "GeoJSON Point, or LineString of 2 to %d positions (at least two different) "
                   "that lies wholly in Duisburg and is at most LINE_MAX_LENGTH_M long" % LINE_MAX_VERTICES,
    "oneOf": [
        {"type": "object", "required": ["type", "coordinates"],
         "properties": {"type": {"const": "Point"}, "coordinates": _POSITION}},
        {"type": "object", "required": ["type", "coordinates"],
         "properties": {"type": {"const": "LineString"}, "coordinates": {
             "type": "array", "items": _POSITION, "minItems": 2, "maxItems": LINE_MAX_VERTICES}}},
    ],
}


def _geometry_schema(schema: dict) -> None:
    schema.clear()
    schema.update(GEOMETRY_SCHEMA)


def _flat(coordinates: list) -> list:
    """Drop a height: the findings table is 2-D and PostGIS refuses a Z it cannot store."""
    if coordinates and isinstance(coordinates[0], list):
        return [position[:2] for position in coordinates]
    return coordinates[:2]


class _FindingFields(BaseModel):
    """What a finding's body may say about it, all optional; POST and PATCH build on it."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    lat: Latitude = _absent()
    lon: Longitude = _absent()
    geometry: dict = Field(default=None, json_schema_extra=_geometry_schema)
    accuracy_m: Annotated[float, Field(strict=True, ge=0, le=100_000, allow_inf_nan=False)] | None = None
    description: Annotated[str, Field(max_length=DESCRIPTION_MAX)] | None = None
    attributes: dict[str, Any] | None = None
    urgency: Annotated[StrictInt, Field(ge=1, le=5)] | None = None

    @field_validator("geometry")
    @classmethod
    def _geometry(cls, value):
        if value is not None:
            check_geometry(value)
        return value

    @model_validator(mode="after")
    def _one_location(self):
        if self.geometry is not None and (self.lat is not None or self.lon is not None):
            raise ValueError(_("Bitte entweder lat/lon oder eine Geometrie angeben, nicht beides."))
        half_a_point = (self.lat is None) != (self.lon is None)
        no_place = self.geometry is None and self.lat is None and self.lon is None
        if half_a_point or (self.location_required and no_place):
            raise _MissingLocation([name for name in ("lat", "lon") if getattr(self, name) is None])
        return self

    location_required: ClassVar[bool] = False

    def location(self) -> tuple[str | None, tuple[str, ...]]:
        """Return the GeoJSON text of the place given (or None) and the fields that gave it."""
        if self.geometry is not None:
            return check_geometry(self.geometry), ("geometry",)
        if self.lat is not None:
            return point_geometry(float(self.lat), float(self.lon)), ("lat", "lon")
        return None, ("lat", "lon")


# lat and lon come together, and not with a geometry (the document says what _one_location checks).
ONE_LOCATION_SCHEMA = {
    "dependentRequired": {"lat": ["lon"], "lon": ["lat"]},
    "not": {"anyOf": [{"required": ["geometry", "lat"]}, {"required": ["geometry", "lon"]}]},
}


class FindingIn(_FindingFields):
    """Body of ``POST /api/findings``: lat/lon for a point, or a GeoJSON geometry."""

    model_config = ConfigDict(json_schema_extra={
        **ONE_LOCATION_SCHEMA, "anyOf": [{"required": ["lat", "lon"]}, {"required": ["geometry"]}]})

    id: uuid.UUID
    category: Annotated[str, Field(min_length=1, max_length=40)]
    walk_id: uuid.UUID | None = None
    location_required: ClassVar[bool] = True

    def to_new_finding(self) -> NewFinding:
        geometry, fields = self.location()
        return NewFinding(
            id=self.id, category=self.category, geometry=geometry,
            description=self.description or None, accuracy_m=self.accuracy_m,
            walk_id=self.walk_id, attributes=self.attributes or {}, urgency=self.urgency,
            geometry_fields=fields,
        )


class FindingPatch(_FindingFields):
    """Body of ``PATCH /api/findings/<id>``: only the fields given are changed (null clears one)."""

    model_config = ConfigDict(json_schema_extra=ONE_LOCATION_SCHEMA)

    category: Annotated[str, Field(min_length=1, max_length=40)] = _absent()

    def to_changes(self) -> FindingChanges:
        geometry, fields = self.location()
        return FindingChanges(
            fields={k: v for k, v in self.model_dump(exclude_unset=True).items()
                    if k in ("category", "description", "attributes", "urgency", "accuracy_m")},
            geometry=geometry, geometry_fields=fields,
        )


class _MissingLocation(ValueError):
    def __init__(self, names):
        super().__init__(_("Der Ort fehlt: lat und lon oder eine Geometrie angeben."))
        self.names = names


def fields_from(error: ValidationError) -> dict[str, str]:
    """pydantic's errors as ``{field: message}``, one translated message per field."""
    fields: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else None
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, _MissingLocation):
            for missing in cause.names:
                fields.setdefault(missing, _("Diese Angabe fehlt (oder eine GeoJSON-Geometrie angeben)."))
            continue
        fields.setdefault(name or "geometry", pydantic_message(item))
    return fields


def _validate(model, payload: Any):
    if not isinstance(payload, dict):
        raise BadRequest(_("Der Inhalt muss ein JSON-Objekt sein."), {"body": _("JSON-Objekt erwartet.")})
    bad_fields = {printable(name): bad_characters_message() for name, value in payload.items()
                  if contains_unstorable(name) or contains_unstorable(value)}
    if bad_fields:
        raise ValidationFailed(_("Einige Angaben sind nicht gültig."), bad_fields)
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise ValidationFailed(_("Einige Angaben sind nicht gültig."), fields_from(exc)) from None


def parse_finding(payload: Any) -> NewFinding:
    """Validate a decoded JSON body; raise ValidationFailed naming every bad field."""
    return _validate(FindingIn, payload).to_new_finding()


def parse_finding_patch(payload: Any) -> FindingChanges:
    """Validate a PATCH body; raise ValidationFailed naming every bad field."""
    return _validate(FindingPatch, payload).to_changes()
