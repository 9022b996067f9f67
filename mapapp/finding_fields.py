"""The properties of a finding as a GeoJSON Feature: name, SQL expression and JSON schema of each.

``mapapp.findings.FEATURE_SQL`` builds the Feature from this list and the OpenAPI document
(``mapapp.api.openapi``) describes it from the same list, so a property cannot be added to one
and forgotten in the other. The SQL reads ``findings f`` with ``findings.JOINS_SQL``' aliases
(``c`` category, ``o`` Ortsteil, ``s`` Stadtbezirk, ``k`` concern) and the ``:viewer`` parameter.
"""
from __future__ import annotations

_UUID = {"type": "string", "format": "uuid"}
_TEXT = {"type": ["string", "null"]}
_TIME = {"type": "string", "format": "date-time"}

PHOTOS_SQL = """(
        SELECT COALESCE(json_agg(json_build_object(
            'id', p.id,
            'url', '/photos/' || p.stored_sha256 || '/web.jpg',
            'thumb_url', '/photos/' || p.stored_sha256 || '/thumb.jpg'
        ) ORDER BY p.position, p.created_at), '[]'::json)
        FROM photos p WHERE p.finding_id = f.id
    )"""
PHOTO = {"type": "object", "required": ["id", "url", "thumb_url"],
         "properties": {"id": _UUID, "url": {"type": "string"}, "thumb_url": {"type": "string"}}}

FEATURE_FIELDS = (
    ("id", "f.id", _UUID),
    ("category", "f.category_slug", {"type": "string"}),
    ("category_label", "c.label_de", {"type": "string"}),
    ("icon", "c.icon", {"type": "string"}),
    ("description", "f.description", _TEXT),
    ("status", "COALESCE(k.status, f.status)", {"type": "string"}),
    ("concern_id", "f.concern_id", {**_UUID, "type": ["string", "null"],
                                    "description": "The concern (Anliegen) a team grouped the finding into"}),
    ("public_message", "k.public_message",
     {**_TEXT, "description": "The concern's message to the public; internal notes never appear"}),
    ("accuracy_m", "f.accuracy_m", {"type": ["number", "null"]}),
    ("walk_id", "f.walk_id", {**_UUID, "type": ["string", "null"]}),
    ("ortsteil", "o.name", _TEXT),
    ("ortsteil_code", "o.code", _TEXT),
    ("stadtbezirk", "s.name", _TEXT),
    ("stadtbezirk_code", "s.code", _TEXT),
    ("created_at", "f.created_at", _TIME),
    ("updated_at", "f.updated_at", _TIME),
    ("attributes", "f.attributes", {"type": "object", "description": "Answers to the category's questions"}),
    ("urgency", "f.urgency", {"type": ["integer", "null"], "minimum": 1, "maximum": 5}),
    ("confirmations", "(SELECT count(*) FROM confirmations cf WHERE cf.finding_id = f.id)",
     {"type": "integer", "description": "The number of +1s"}),
    ("photos", PHOTOS_SQL, {"type": "array", "items": PHOTO}),
    ("mine", "COALESCE(f.participant_id = CAST(:viewer AS uuid), false)",
     {"type": "boolean", "description": "Whether the asking participant reported it"}),
)


def properties_sql() -> str:
    """The ``json_build_object`` arguments of a Feature's properties, in the list's order."""
    return ",\n            ".join(f"'{name}', {sql}" for name, sql, _schema in FEATURE_FIELDS)


def properties_schema() -> dict:
    """The JSON schema of each property, by name."""
    return {name: schema for name, _sql, schema in FEATURE_FIELDS}
