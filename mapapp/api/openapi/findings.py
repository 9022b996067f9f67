"""The API description of the findings: storing, listing, changing one's own, nearby ones and "+1"s."""
from mapapp.api.openapi.components import (
    BBOX, COUNT, HEADER, ID, UUID, VIEW_FILTERS, error_response, geojson, query, ref, setting,
)


def finding_paths() -> dict:
    """``/api/findings`` and ``/api/findings/{id}``: store, list, read, change and delete findings."""
    return {
        "/api/findings": {
            "post": {
                "summary": "Store a finding (idempotent by its client-made id)",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": ref("FindingIn")}}},
                "responses": {
                    "201": {"description": "Stored", **geojson("Feature"),
                            "headers": {"Location": HEADER}},
                    "200": {"description": "Already stored under this id", **geojson("Feature")},
                    "400": error_response("The body is not JSON"),
                    "422": error_response("A field is not valid"),
                },
            },
            "get": {
                "summary": "Findings as a GeoJSON FeatureCollection",
                "parameters": [
                    query("bbox", "W,S,E,N in longitude/latitude", BBOX),
                    *VIEW_FILTERS,
                    query("limit", "At most this many, newest first", {
                        "type": "integer", "minimum": 1, "maximum": setting("FINDINGS_LIMIT_MAX"),
                        "default": setting("FINDINGS_LIMIT_DEFAULT")}),
                ],
                "responses": {"200": {"description": "Findings", **geojson("FeatureCollection")},
                              "422": error_response("A parameter is not valid")},
            },
        },
        "/api/findings/{id}": {
            "parameters": [ID],
            "get": {
                "summary": "One finding",
                "responses": {"200": {"description": "The finding", **geojson("Feature")},
                              "404": error_response("No such finding")},
            },
            "patch": {
                "summary": "Change one's own finding (participant cookie)",
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": ref("FindingPatch")}}},
                "responses": {"200": {"description": "Changed", **geojson("Feature")},
                              "403": error_response("Not one's own"), "404": error_response("No such finding"),
                              "422": error_response("A field is not valid")},
            },
            "delete": {
                "summary": "Delete one's own finding (participant cookie)",
                "responses": {"204": {"description": "Deleted"}, "403": error_response("Not one's own"),
                              "404": error_response("No such finding")},
            },
        },
    }


def participant_paths() -> dict:
    """What a participant's page asks besides: their own findings, findings nearby, "+1"s."""
    return {
        "/api/me/findings": {
            "get": {
                "summary": ("The findings of the participant cookie's holder, newest first, each with "
                            "`concern_status` and `concern_status_label` (null while not grouped into a "
                            "concern); without a cookie an empty collection"),
                "parameters": [query("walk", "Only those of this walk", UUID)],
                "responses": {"200": {"description": "One's own findings", **geojson("FeatureCollection")},
                              "422": error_response("A parameter is not valid")},
            },
        },
        "/api/findings/nearby": {
            "get": {
                "summary": "Other participants' findings of a category nearby, nearest first",
                "parameters": [
                    query("lat", "Latitude", {"type": "number", "minimum": -90, "maximum": 90},
                          required=True),
                    query("lon", "Longitude", {"type": "number", "minimum": -180, "maximum": 180},
                          required=True),
                    query("category", "Category slug", {"type": "string", "minLength": 1, "maxLength": 40},
                          required=True),
                    query("radius", "Metres", {"type": "number", "minimum": 1, "maximum": 200, "default": 30}),
                    query("walk", "Walk id", UUID),
                ],
                "responses": {"200": {"description": "Findings with distance_m", **geojson("FeatureCollection")},
                              "422": error_response("A parameter is not valid")},
            },
        },
        "/api/findings/{id}/confirmations": {
            "parameters": [ID],
            "post": {"summary": "+1: I saw this too (once per participant, who needs the cookie the map pages set)",
                     "requestBody": {"required": True, "description": "Send `{}`; only its Content-Type matters",
                                     "content": {"application/json": {"schema": {"type": "object"}}}},
                     "responses": {"201": COUNT, "200": COUNT,
                                   "403": error_response("No participant cookie (error `participant_required`)"),
                                   "404": error_response("No such finding"), "422": error_response("One's own finding")}},
            "delete": {"summary": "Take back one's +1", "responses": {"200": COUNT}},
        },
    }
