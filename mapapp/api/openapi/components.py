"""The parts the API description is made of: schemas, parameters and answers used by several paths."""
from flask import current_app, has_app_context

from mapapp.config import Defaults
from mapapp.findings.fields import properties_schema
from mapapp.statuses import CONCERN_STATUSES

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "examples": ["validation_failed"]},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "What is wrong with each named field."},
        "current_version": {"type": ["integer", "null"], "description": "With 412: the stored version"},
        "request_id": {"type": "string", "description": "Quote it when reporting a problem"},
    },
}

FEATURE = {
    "type": "object",
    "required": ["type", "id", "geometry", "properties"],
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": "string", "format": "uuid"},
        "geometry": {"type": "object"},
        "properties": {
            "type": "object",
            "properties": {
                **properties_schema(),
                "concern_status": {"enum": [*CONCERN_STATUSES, None],
                                   "description": "Only in /api/me/findings: the concern's status, null while ungrouped"},
                "concern_status_label": {"type": ["string", "null"],
                                         "description": "Only in /api/me/findings: that status in words"},
            },
        },
    },
}

COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}},
}


HEADER = {"schema": {"type": "string"}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
COUNT = {"description": "The number of +1s", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"confirmations": {"type": "integer"}}}}}}

_TEXT = {"type": ["string", "null"]}
WALK = {
    "type": "object",
    "required": ["id", "title", "meeting_point", "meeting_point_name"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "title": {"type": "string"},
        "topic": _TEXT,
        "description": _TEXT,
        "starts_at": {"type": ["string", "null"], "format": "date-time"},
        "meeting_point": {"type": ["object", "null"], "description": "GeoJSON Point"},
        "meeting_point_name": {**_TEXT, "description": "Where to meet in words, e.g. 'Bismarckplatz, vor dem Rathaus'"},
        "ortsteil": _TEXT, "ortsteil_code": _TEXT, "stadtbezirk": _TEXT, "stadtbezirk_code": _TEXT,
    },
}
WALKS = {"type": "object", "required": ["walks"], "properties": {"walks": {"type": "array", "items": {
    **WALK, "properties": {**WALK["properties"], "findings": {"type": "integer"}}}}}}
WALK_DETAIL = {**WALK, "properties": {
    **WALK["properties"],
    "ends_at": {"type": ["string", "null"], "format": "date-time"},
    "join_code": {"type": "string"},
    "route": {"type": ["object", "null"], "description": "GeoJSON LineString"},
    "bounds": {"type": ["array", "null"], "description": "[[south, west], [north, east]]"},
    "categories": {"type": "array", "items": {"type": "string"}},
}}
CATEGORIES = {"type": "object", "required": ["categories"], "properties": {"categories": {"type": "array"}}}


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def geojson(name):
    return {"content": {"application/geo+json": {"schema": ref(name)}}}


def json_content(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error_response(description):
    return {"description": description, "content": {"application/json": {"schema": ref("Error")}}}


EMPTY = {"type": "string", "maxLength": 0}
UUID = {"type": "string", "format": "uuid"}
DAY = {"type": "string", "format": "date"}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
BBOX = {"type": "string", "pattern": f"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$",
        "description": "Also: -180 <= W < E <= 180, -90 <= S < N <= 90"}
_STATUS = "|".join(CONCERN_STATUSES)
STATUSES = {"type": "string", "pattern": f"^(?:{_STATUS})(?:,(?:{_STATUS}))*$"}


def query(name, description, schema=None, required=False):
    """A query parameter. An optional one given empty (``walk=``, as a form sends it) is one not
    given, everywhere in the API; its schema says so when it would otherwise refuse ``""``."""
    schema = schema or {"type": "string"}
    if not required and (schema.get("type") != "string" or {"format", "pattern", "minLength", "enum"} & set(schema)):
        schema = {"anyOf": [schema, EMPTY]}
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def setting(name: str):
    """A setting of the running app (the document describes it), else its default."""
    return (current_app.config if has_app_context() else {}).get(name, getattr(Defaults, name))


VIEW_FILTERS = [
    query("category", "Category slug(s), comma-separated"),
    query("walk", "Walk id", UUID),
    query("district", "Code or name of an Ortsteil or Stadtbezirk"),
    query("status", "Status(es), comma-separated (a concern's status once merged)", STATUSES),
    query("from", "Created on or after this day, Duisburg time (YYYY-MM-DD)", DAY),
    query("to", "Created on or before this day, Duisburg time (YYYY-MM-DD)", DAY),
]
