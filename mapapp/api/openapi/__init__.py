"""The OpenAPI 3.1 description of the JSON API, served at ``/api/openapi.json``.

One module per group of paths (``findings``, ``places``, ``mapdata``) over the shared
``components``; the request schemas come from the validating models in mapapp/api/schemas.py,
and the answers every ``/api/`` operation can give are added here in one place.
"""
from mapapp.api.openapi.components import COLLECTION, ERROR, FEATURE, HEADER, error_response
from mapapp.api.openapi.findings import finding_paths, participant_paths
from mapapp.api.openapi.mapdata import viewport_paths
from mapapp.api.openapi.places import place_paths
from mapapp.api.schemas import FindingIn, FindingPatch


def openapi_document() -> dict:
    """Return the API description; the request schema comes from the validating model."""
    document = {
        "openapi": "3.1.0",
        "info": {"title": "mapapp API", "version": "1"},
        "paths": {**finding_paths(), **participant_paths(), **place_paths(), **viewport_paths()},
        "components": {
            "schemas": {
                "FindingIn": FindingIn.model_json_schema(ref_template="#/components/schemas/{model}"),
                "FindingPatch": FindingPatch.model_json_schema(ref_template="#/components/schemas/{model}"),
                "Feature": FEATURE,
                "FeatureCollection": COLLECTION,
                "Error": ERROR,
            }
        },
    }
    for path, item in document["paths"].items():
        if path.startswith("/api/"):
            add_common_responses(path, item)
    return document


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
            responses.setdefault("404", error_response("No such record, or a malformed path parameter"))
        if operation.get("parameters") or "{" in path:
            responses.setdefault("422", error_response("A parameter is not valid"))
        if "requestBody" in operation:
            responses.setdefault("400", error_response("The body is not a JSON object"))
            responses.setdefault("413", error_response("The body is too large"))
        if method in JSON_WRITE_METHODS:
            responses.setdefault("415", error_response("The Content-Type is not application/json (nor …+json)"))
        if method in WRITE_METHODS:
            responses.setdefault("429", error_response("Too many writes; retry later"))
        ok = responses.get("200", {})
        if method == "get" and "application/geo+json" in ok.get("content", {}):
            responses.setdefault("304", {"description": "Not modified (If-None-Match)"})
            ok.setdefault("headers", {})["ETag"] = HEADER
        responses.setdefault("503", {**error_response("The database is not reachable"),
                                     "headers": {"Retry-After": HEADER}})
