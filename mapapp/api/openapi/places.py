"""The API description of what the map pages read beside findings: districts, categories, walks."""
from mapapp.api.openapi.components import (
    CATEGORIES, UUID, WALKS, WALK_DETAIL, error_response, geojson, json_content, query,
)


def place_paths() -> dict:
    """``/api/districts``, ``/api/categories``, ``/api/walks`` and one walk."""
    return {
        "/api/districts": {
            "get": {
                "summary": "Districts with finding counts per category",
                "parameters": [query("level", "stadtbezirk (default) or ortsteil",
                                     {"type": "string", "enum": ["stadtbezirk", "ortsteil"]})],
                "responses": {"200": {"description": "Districts", **geojson("FeatureCollection")},
                              "422": error_response("Unknown level")},
            },
        },
        "/api/categories": {"get": {
            "summary": "Categories with their questions",
            "parameters": [query("walk", "Only what this walk offers", UUID)],
            "responses": {"200": json_content("Categories", CATEGORIES)},
        }},
        "/api/walks": {"get": {"summary": "Walks", "responses": {"200": json_content("Walks", WALKS)}}},
        "/api/walks/{ref}": {"get": {
            "summary": "One walk by id or join code: route, bounds, meeting point, categories",
            "parameters": [{"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": json_content("The walk", WALK_DETAIL), "404": error_response("No such walk")},
        }},
    }
