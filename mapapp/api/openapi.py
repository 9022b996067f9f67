"""The OpenAPI 3.1 description of the JSON API, served at ``/api/openapi.json``."""
from mapapp.api.schemas import FindingIn, FindingPatch

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "examples": ["validation_failed"]},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "What is wrong with each named field."},
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
                "id": {"type": "string", "format": "uuid"},
                "category": {"type": "string"},
                "category_label": {"type": "string"},
                "icon": {"type": "string"},
                "description": {"type": ["string", "null"]},
                "status": {"type": "string"},
                "accuracy_m": {"type": ["number", "null"]},
                "walk_id": {"type": ["string", "null"], "format": "uuid"},
                "ortsteil": {"type": ["string", "null"]},
                "ortsteil_code": {"type": ["string", "null"]},
                "stadtbezirk": {"type": ["string", "null"]},
                "stadtbezirk_code": {"type": ["string", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"},
            },
        },
    },
}

COLLECTION = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {"type": {"const": "FeatureCollection"}, "features": {"type": "array"}},
}


ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
COUNT = {"description": "The number of +1s", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"confirmations": {"type": "integer"}}}}}}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _geojson(name):
    return {"content": {"application/geo+json": {"schema": _ref(name)}}}


def _error(description):
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _query(name, description, schema=None):
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def openapi_document() -> dict:
    """Return the API description; the request schema comes from the validating model."""
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
                        "201": {"description": "Stored", **_geojson("Feature")},
                        "200": {"description": "Already stored under this id", **_geojson("Feature")},
                        "400": _error("The body is not JSON"),
                        "422": _error("A field is not valid"),
                    },
                },
                "get": {
                    "summary": "Findings as a GeoJSON FeatureCollection",
                    "parameters": [
                        _query("bbox", "W,S,E,N in longitude/latitude"),
                        _query("district", "Code or name of an Ortsteil or Stadtbezirk"),
                        _query("category", "Category slug(s), comma-separated"),
                        _query("walk", "Walk id", {"type": "string", "format": "uuid"}),
                        _query("limit", "At most this many, newest first", {"type": "integer"}),
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
            "/api/findings/nearby": {
                "get": {
                    "summary": "Other participants' findings of a category nearby, nearest first",
                    "parameters": [
                        _query("lat", "Latitude", {"type": "number"}),
                        _query("lon", "Longitude", {"type": "number"}),
                        _query("category", "Category slug"),
                        _query("radius", "Metres (default 30, at most 200)", {"type": "number"}),
                        _query("walk", "Walk id", {"type": "string", "format": "uuid"}),
                    ],
                    "responses": {"200": {"description": "Findings with distance_m", **_geojson("FeatureCollection")},
                                  "422": _error("A parameter is not valid")},
                },
            },
            "/api/findings/{id}/confirmations": {
                "parameters": [ID],
                "post": {"summary": "+1: I saw this too (once per participant)",
                         "responses": {"201": COUNT, "200": COUNT, "404": _error("No such finding"),
                                       "422": _error("One's own finding")}},
                "delete": {"summary": "Take back one's +1", "responses": {"200": COUNT}},
            },
            "/api/districts": {
                "get": {
                    "summary": "Districts with finding counts per category",
                    "parameters": [_query("level", "stadtbezirk or ortsteil",
                                          {"type": "string", "enum": ["stadtbezirk", "ortsteil"]})],
                    "responses": {"200": {"description": "Districts", **_geojson("FeatureCollection")},
                                  "422": _error("Unknown level")},
                },
            },
            "/api/categories": {"get": {
                "summary": "Categories with their questions",
                "parameters": [_query("walk", "Only what this walk offers", {"type": "string", "format": "uuid"})],
                "responses": {"200": {"description": "Categories"}},
            }},
            "/api/walks": {"get": {"summary": "Walks", "responses": {"200": {"description": "Walks"}}}},
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
