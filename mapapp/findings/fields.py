"""The properties of a finding as a GeoJSON Feature: name, SQL expression and JSON schema of each.

``mapapp.findings.store.FEATURE_SQL`` builds the Feature from this list and the OpenAPI document
(``mapapp.api.openapi``) describes it from the same list, so a property cannot be added to one
and forgotten in the other. The SQL reads ``findings f`` with ``findings.JOINS_SQL``' aliases
(``c`` category, ``o`` Ortsteil, ``s`` Stadtbezirk, ``k`` concern) and the ``:viewer`` parameter.

The list is what the public reads (the map, popups, nearby, Open311's and the results' sources):
free text and photos as :mod:`mapapp.moderation.visibility` lets the public see them, all of
them to the participant who sent the finding (``:viewer``). The review pages read the same
Feature with :data:`TEAM_FIELDS` in their place (everything, as sent).
"""
from __future__ import annotations

from mapapp.moderation.visibility import (
    attributes_for_viewer_sql, description_for_viewer_sql, is_viewer_sql, photo_for_viewer_sql, photos_json_sql,
)

_UUID = {"type": "string", "format": "uuid"}
_TEXT = {"type": ["string", "null"]}
_TIME = {"type": "string", "format": "date-time"}

# The photos the asking participant may see: the public ones, all of them to the finding's sender.
VIEWER_PHOTOS_SQL = photos_json_sql("f", photo_for_viewer_sql("p", "f"))
PHOTO = {"type": "object", "required": ["id", "url", "thumb_url"],
         "properties": {"id": _UUID, "url": {"type": "string"}, "thumb_url": {"type": "string"}}}

FEATURE_FIELDS = (
    ("id", "f.id", _UUID),
    ("category", "f.category_slug", {"type": "string"}),
    ("category_label", "c.label_de", {"type": "string"}),
    ("icon", "c.icon", {"type": "string"}),
    ("description", description_for_viewer_sql("f"),
     {**_TEXT, "description": "The participant's text as the public may see it (once approved, maybe edited by "
                              "the team); null while waiting for approval or hidden. Its sender sees their own."}),
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
    ("attributes", attributes_for_viewer_sql("f"),
     {"type": "object", "description": "Answers to the category's questions (free-text ones once approved)"}),
    ("urgency", "f.urgency", {"type": ["integer", "null"], "minimum": 1, "maximum": 5}),
    ("confirmations", "(SELECT count(*) FROM confirmations cf WHERE cf.finding_id = f.id)",
     {"type": "integer", "description": "The number of +1s"}),
    ("photos", VIEWER_PHOTOS_SQL, {"type": "array", "items": PHOTO,
                                   "description": "Approved photos; all of them to the finding's sender"}),
    ("mine", is_viewer_sql("f"),
     {"type": "boolean", "description": "Whether the asking participant reported it"}),
)


# The review's Feature: free text and photos as sent, whatever their moderation state.
TEAM_FIELDS = {"description": "f.description", "attributes": "f.attributes", "photos": photos_json_sql("f")}


def properties_sql(team: bool = False) -> str:
    """The ``json_build_object`` arguments of a Feature's properties, in the list's order
    (``team``: with :data:`TEAM_FIELDS` for the review pages)."""
    overrides = TEAM_FIELDS if team else {}
    return ",\n            ".join(f"'{name}', {overrides.get(name, sql)}" for name, sql, _schema in FEATURE_FIELDS)


def properties_schema() -> dict:
    """The JSON schema of each property, by name."""
    return {name: schema for name, _sql, schema in FEATURE_FIELDS}
