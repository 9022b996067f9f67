"""The OpenAPI 3.1 description of the JSON API, served at ``/api/openapi.json``."""
from flask import current_app, has_app_context

from mapapp.api.schemas import FindingIn, FindingPatch
from mapapp.config import Defaults
from mapapp.finding_fields import properties_schema
from mapapp.statuses import CONCERN_STATUSES
from mapapp.tiles.params import MAX_ZOOM

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


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _geojson(name):
    return {"content": {"application/geo+json": {"schema": _ref(name)}}}


def _json(description, schema):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


EMPTY = {"type": "string", "maxLength": 0}
UUID = {"type": "string", "format": "uuid"}
DAY = {"type": "string", "format": "date"}
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
BBOX = {"type": "string", "pattern": f"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$",
        "description": "Also: -180 <= W < E <= 180, -90 <= S < N <= 90"}
_STATUS = "|".join(CONCERN_STATUSES)
STATUSES = {"type": "string", "pattern": f"^(?:{_STATUS})(?:,(?:{_STATUS}))*$"}


def _query(name, description, schema=None, required=False):
    """A query parameter. An optional one given empty (``walk=``, as a form sends it) is one not
    given, everywhere in the API; its schema says so when it would otherwise refuse ``""``."""
    schema = schema or {"type": "string"}
    if not required and (schema.get("type") != "string" or {"format", "pattern", "minLength", "enum"} & set(schema)):
        schema = {"anyOf": [schema, EMPTY]}
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


def _config(name: str):
    """A setting of the running app (the document describes it), else its default."""
    return (current_app.config if has_app_context() else {}).get(name, getattr(Defaults, name))


VIEW_FILTERS = [
    _query("category", "Category slug(s), comma-separated"),
    _query("walk", "Walk id", UUID),
    _query("district", "Code or name of an Ortsteil or Stadtbezirk"),
    _query("status", "Status(es), comma-separated (a concern's status once merged)", STATUSES),
    _query("from", "Created on or after this day, Duisburg time (YYYY-MM-DD)", DAY),
    _query("to", "Created on or before this day, Duisburg time (YYYY-MM-DD)", DAY),
]
VIEWPORT = {
    "type": "object",
    "required": ["type", "mode", "total", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "mode": {"enum": ["cells", "findings"]},
        "total": {"type": "integer", "description": "Findings represented"},
        "features": {"type": "array", "items": {"type": "object", "properties": {
            "geometry": {"type": "object"},
            "properties": {"type": "object", "description": (
                'cells: {"kind": "cell", "count", "counts": {category: n}}; '
                'findings: {"kind": "finding", "id", "category", "status", "icon"}')},
        }}},
    },
}
TILE_COORDS = {"z": {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM},
               "x": {"type": "integer", "minimum": 0, "description": "Below 2^z (else 404)"},
               "y": {"type": "integer", "minimum": 0, "description": "Below 2^z (else 404)"}}


def viewport_paths() -> dict:
    """``/api/viewport`` and the vector tiles (mapapp/tiles)."""
    cached = {"ETag": HEADER, "Last-Modified": HEADER}
    return {
        "/api/viewport": {"get": {
            "summary": "The map view: aggregate cells zoomed out (or when crowded), compact findings zoomed in",
            "parameters": [
                _query("bbox", "W,S,E,N in longitude/latitude", BBOX, required=True),
                _query("zoom", "Map zoom (0-22); cells below 15",
                       {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}, required=True),
                *VIEW_FILTERS,
            ],
            "responses": {
                "200": {"description": "Cells or findings", "headers": cached,
                        "content": {"application/geo+json": {"schema": VIEWPORT}}},
                "304": {"description": "Not modified (If-None-Match / If-Modified-Since)"},
                "422": _error("A parameter is not valid"),
            },
        }},
        "/tiles/findings/{z}/{x}/{y}.mvt": {"get": {
            "summary": "Mapbox Vector Tile, layer `findings`: points with `count` below zoom 15, findings above",
            "parameters": [{"name": name, "in": "path", "required": True, "schema": schema}
                           for name, schema in TILE_COORDS.items()] + VIEW_FILTERS,
            "responses": {
                "200": {"description": "The tile (empty body: no findings)", "headers": {"ETag": HEADER},
                        "content": {"application/vnd.mapbox-vector-tile": {
                            "schema": {"type": "string", "format": "binary"}}}},
                "304": {"description": "Not modified (If-None-Match)"},
                "404": {"description": "Not a tile: x or y beyond the zoom's grid (JSON naming them), "
                                       "or not a tile path"},
                "422": _error("A tile coordinate or parameter is not valid"),
                "503": {**_error("The database is not reachable"), "headers": {"Retry-After": HEADER}},
            },
        }},
    }


def openapi_document() -> dict:
    """Return the API description; the request schema comes from the validating model."""
    document = _document()
    for path, item in document["paths"].items():
        if path.startswith("/api/"):
            add_common_responses(path, item)
    return document


def _document() -> dict:
    finding_in = FindingIn.model_json_schema(ref_template="#/components/schemas/{model}")
    return {
        "openapi": "3.1.0",
        "info": {"title": "mapapp API", "version": "1"},
        "paths": {
            "/api/findings": {
                "post": {
                    "summary": "Store a finding (idempotent by its client-made id)",
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": _ref("FindingIn")}}},
                    "responses": {
                        "201": {"description": "Stored", **_geojson("Feature"),
                                "headers": {"Location": HEADER}},
                        "200": {"description": "Already stored under this id", **_geojson("Feature")},
                        "400": _error("The body is not JSON"),
                        "422": _error("A field is not valid"),
                    },
                },
                "get": {
                    "summary": "Findings as a GeoJSON FeatureCollection",
                    "parameters": [
                        _query("bbox", "W,S,E,N in longitude/latitude", BBOX),
                        *VIEW_FILTERS,
                        _query("limit", "At most this many, newest first", {
                            "type": "integer", "minimum": 1, "maximum": _config("FINDINGS_LIMIT_MAX"),
                            "default": _config("FINDINGS_LIMIT_DEFAULT")}),
                    ],
                    "responses": {"200": {"description": "Findings", **_geojson("FeatureCollection")},
                                  "422": _error("A parameter is not valid")},
                },
            },
            "/api/findings/{id}": {
                "parameters": [ID],
                "get": {
                    "summary": "One finding",
                    "responses": {"200": {"description": "The finding", **_geojson("Feature")},
                                  "404": _error("No such finding")},
                },
                "patch": {
                    "summary": "Change one's own finding (participant cookie)",
                    "requestBody": {"required": True,
                                    "content": {"application/json": {"schema": _ref("FindingPatch")}}},
                    "responses": {"200": {"description": "Changed", **_geojson("Feature")},
                                  "403": _error("Not one's own"), "404": _error("No such finding"),
                                  "422": _error("A field is not valid")},
                },
                "delete": {
                    "summary": "Delete one's own finding (participant cookie)",
                    "responses": {"204": {"description": "Deleted"}, "403": _error("Not one's own"),
                                  "404": _error("No such finding")},
                },
            },
            "/api/me/findings": {
                "get": {
                    "summary": ("The findings of the participant cookie's holder, newest first, each with "
                                "`concern_status` and `concern_status_label` (null while not grouped into a "
                                "concern); without a cookie an empty collection"),
                    "parameters": [_query("walk", "Only those of this walk", UUID)],
                    "responses": {"200": {"description": "One's own findings", **_geojson("FeatureCollection")},
                                  "422": _error("A parameter is not valid")},
                },
            },
            "/api/findings/nearby": {
                "get": {
                    "summary": "Other participants' findings of a category nearby, nearest first",
                    "parameters": [
                        _query("lat", "Latitude", {"type": "number", "minimum": -90, "maximum": 90},
                               required=True),
                        _query("lon", "Longitude", {"type": "number", "minimum": -180, "maximum": 180},
                               required=True),
                        _query("category", "Category slug", {"type": "string", "minLength": 1, "maxLength": 40},
                               required=True),
                        _query("radius", "Metres", {"type": "number", "minimum": 1, "maximum": 200, "default": 30}),
                        _query("walk", "Walk id", UUID),
                    ],
                    "responses": {"200": {"description": "Findings with distance_m", **_geojson("FeatureCollection")},
                                  "422": _error("A parameter is not valid")},
                },
            },
            "/api/findings/{id}/confirmations": {
                "parameters": [ID],
                "post": {"summary": "+1: I saw this too (once per participant, who needs the cookie the map pages set)",
                         "requestBody": {"required": True, "description": "Send `{}`; only its Content-Type matters",
                                         "content": {"application/json": {"schema": {"type": "object"}}}},
                         "responses": {"201": COUNT, "200": COUNT,
                                       "403": _error("No participant cookie (error `participant_required`)"),
                                       "404": _error("No such finding"), "422": _error("One's own finding")}},
                "delete": {"summary": "Take back one's +1", "responses": {"200": COUNT}},
            },
            "/api/districts": {
                "get": {
                    "summary": "Districts with finding counts per category",
                    "parameters": [_query("level", "stadtbezirk (default) or ortsteil",
                                          {"type": "string", "enum": ["stadtbezirk", "ortsteil"]})],
                    "responses": {"200": {"description": "Districts", **_geojson("FeatureCollection")},
                                  "422": _error("Unknown level")},
                },
            },
            "/api/categories": {"get": {
                "summary": "Categories with their questions",
                "parameters": [_query("walk", "Only what this walk offers", UUID)],
                "responses": {"200": _json("Categories", CATEGORIES)},
            }},
            "/api/walks": {"get": {"summary": "Walks", "responses": {"200": _json("Walks", WALKS)}}},
            "/api/walks/{ref}": {"get": {
                "summary": "One walk by id or join code: route, bounds, meeting point, categories",
                "parameters": [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json("The walk", WALK_DETAIL), "404": _error("No such walk")},
            }},
            **viewport_paths(),
        },
        "components": {
            "schemas": {
                "FindingIn": finding_in,
                "FindingPatch": FindingPatch.model_json_schema(ref_template="#/components/schemas/{model}"),
                "Feature": FEATURE,
                "FeatureCollection": COLLECTION,
                "Error": ERROR,
            }
        },
    }


WRITE_METHODS = ("post", "put", "patch", "delete")
JSON_WRITE_METHODS = ("post", "put", "patch")


def add_common_responses(path: str, item: dict) -> None:
    """Add the answers every operation under ``/api/`` can give, in place.

    The app answers them uniformly (mapapp/errors.py): a path parameter the route does not
    accept is a 404, a body that is not JSON a 400, one over MAX_CONTENT_LENGTH a 413, a write
    whose Content-Type is not JSON a 415 (mapapp/api/routes.py), too many writes a 429, a lost
    database a 503 with Retry-After; a GET with a matching If-None-Match is a 304 and its 200
    carries the ETag.
    """
    for method, operation in item.items():
        if method == "parameters":
            continue
        responses = operation.setdefault("responses", {})
        if "{" in path:
            responses.setdefault("404", _error("No such record, or a malformed path parameter"))
        if operation.get("parameters") or "{" in path:
            responses.setdefault("422", _error("A parameter is not valid"))
        if "requestBody" in operation:
            responses.setdefault("400", _error("The body is not a JSON object"))
            responses.setdefault("413", _error("The body is too large"))
        if method in JSON_WRITE_METHODS:
            responses.setdefault("415", _error("The Content-Type is not application/json (nor …+json)"))
        if method in WRITE_METHODS:
            responses.setdefault("429", _error("Too many writes; retry later"))
        ok = responses.get("200", {})
        if method == "get" and "application/geo+json" in ok.get("content", {}):
            responses.setdefault("304", {"description": "Not modified (If-None-Match)"})
            ok.setdefault("headers", {})["ETag"] = HEADER
        responses.setdefault("503", {**_error("The database is not reachable"),
                                     "headers": {"Retry-After": HEADER}})
