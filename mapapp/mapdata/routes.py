"""Thin routes: parse, call the domain function, answer its text or bytes with ETag/Last-Modified.

Both only read: they use the read replica when one is configured (mapapp/db/replica.py)."""
from flask import Response, current_app, request

from mapapp.db import read_session
from mapapp.mapdata import bp
from mapapp.mapdata.params import parse_tile, parse_viewport
from mapapp.mapdata.vector_tiles import mvt_tile
from mapapp.mapdata.viewport import CELLS_BELOW_ZOOM, FINDINGS_LIMIT, viewport_geojson

GEOJSON = "application/geo+json"
MVT = "application/vnd.mapbox-vector-tile"


def _conditional(response: Response) -> Response:
    """ETag from the body; If-None-Match / If-Modified-Since → 304. Clients must revalidate."""
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


def _cells_below_zoom() -> int:
    return current_app.config.get("VIEWPORT_CELLS_BELOW_ZOOM", CELLS_BELOW_ZOOM)


@bp.get("/api/viewport")
def viewport():
    query = parse_viewport(request.args)
    body, newest = viewport_geojson(
        read_session(), query, cells_below_zoom=_cells_below_zoom(),
        findings_limit=current_app.config.get("VIEWPORT_FINDINGS_LIMIT", FINDINGS_LIMIT),
    )
    response = Response(body, mimetype=GEOJSON)
    if newest is not None:
        response.last_modified = newest
    return _conditional(response)


@bp.get("/tiles/findings/<int(signed=True):z>/<int(signed=True):x>/<int(signed=True):y>.mvt")
def findings_tile(z, x, y):
    query = parse_tile(z, x, y, request.args)
    data = mvt_tile(read_session(), z, x, y, query, cells_below_zoom=_cells_below_zoom())
    return _conditional(Response(data, mimetype=MVT))
