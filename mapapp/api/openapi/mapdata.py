"""The API description of the map data: ``/api/viewport`` and the vector tiles (mapapp/mapdata)."""
from mapapp.api.openapi.components import BBOX, HEADER, VIEW_FILTERS, error_response, query
from mapapp.mapdata.params import MAX_ZOOM

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
    """``/api/viewport`` and the vector tiles."""
    cached = {"ETag": HEADER, "Last-Modified": HEADER}
    return {
        "/api/viewport": {"get": {
            "summary": "The map view: aggregate cells zoomed out (or when crowded), compact findings zoomed in",
            "parameters": [
                query("bbox", "W,S,E,N in longitude/latitude", BBOX, required=True),
                query("zoom", "Map zoom (0-22); cells below 15",
                      {"type": "integer", "minimum": 0, "maximum": MAX_ZOOM}, required=True),
                *VIEW_FILTERS,
            ],
            "responses": {
                "200": {"description": "Cells or findings", "headers": cached,
                        "content": {"application/geo+json": {"schema": VIEWPORT}}},
                "304": {"description": "Not modified (If-None-Match / If-Modified-Since)"},
                "422": error_response("A parameter is not valid"),
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
                "422": error_response("A tile coordinate or parameter is not valid"),
                "503": {**error_response("The database is not reachable"), "headers": {"Retry-After": HEADER}},
            },
        }},
    }
