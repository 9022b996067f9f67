"""Thin routes: tiles, the archive's summary and a walk's area, read from the archive."""
import gzip

from flask import Response, jsonify, request, url_for
from flask_babel import gettext as _

from mapapp.basemap import bp, current_basemap, tile_url_template
from mapapp.basemap.area import AREA_ZOOMS, area_tiles, walk_area_bounds
from mapapp.db import db
from mapapp.errors import BadRequest, NotFound

# Tiles change only when the operator replaces the archive: keep them a week, then revalidate.
TILE_CACHE = "public, max-age=604800"
MAX_ZOOM = 30


def _basemap():
    basemap = current_basemap()
    if basemap is None:
        raise NotFound(_("Auf diesem Server ist keine Grundkarte eingerichtet."))
    return basemap


def _check_coordinates(z: int, x: int, y: int) -> None:
    """A negative coordinate or an impossible zoom is a 400; x or y beyond the zoom's grid a 404."""
    errors = {}
    if not 0 <= z <= MAX_ZOOM:
        errors["z"] = _("Muss eine ganze Zahl von %(low)s bis %(high)s sein.", low=0, high=MAX_ZOOM)
    for name, value in (("x", x), ("y", y)):
        if value < 0:
            errors[name] = _("Muss mindestens %(limit)s sein.", limit=0)
    if errors:
        raise BadRequest(_("Einige Abfrageparameter sind nicht gültig."), errors)
    beyond = {name: _("Muss eine ganze Zahl von %(low)s bis %(high)s sein.", low=0, high=2 ** z - 1)
              for name, value in (("x", x), ("y", y)) if value >= 2 ** z}
    if beyond:
        raise NotFound(_("Diese Kachel gibt es nicht."), beyond)


@bp.get("/<int(signed=True):z>/<int(signed=True):x>/<int(signed=True):y>.<suffix>")
def tile(z, x, y, suffix):
    basemap = _basemap()
    _check_coordinates(z, x, y)
    if suffix != basemap.suffix:
        raise NotFound(_("Diese Kachel gibt es nicht."), {"format": basemap.suffix})
    found = basemap.tile(z, x, y)
    if found is None:
        # Empty, not JSON: map libraries parse the body of a missing tile as an empty tile.
        return Response(b"", 404, headers={"Cache-Control": TILE_CACHE})
    data, encoding, etag = found.data, found.encoding, found.etag
    if encoding and encoding not in request.accept_encodings:
        data, encoding, etag = gzip.decompress(data), None, f"{etag}-identity"
    response = Response(data, mimetype=basemap.media_type)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.headers["Cache-Control"] = TILE_CACHE
    response.vary.add("Accept-Encoding")
    response.set_etag(etag)
    return response.make_conditional(request)


@bp.get("/metadata.json")
def metadata():
    basemap = _basemap()
    response = jsonify(basemap.summary() | {"tiles": tile_url_template(basemap)})
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/area/<join_code>")
def walk_area(join_code):
    basemap = _basemap()
    bounds = walk_area_bounds(db.session, join_code)
    if bounds is None:
        raise NotFound(_("Für diese Begehung ist kein Ort bekannt."), {"join_code": join_code})
    tiles = area_tiles(basemap, bounds)
    response = jsonify({
        "bounds": list(bounds), "zooms": [AREA_ZOOMS.start, AREA_ZOOMS.stop - 1],
        "count": len(tiles), "bytes": sum(t.size for t in tiles),
        "tiles": [{"url": url_for("basemap.tile", z=t.z, x=t.x, y=t.y, suffix=basemap.suffix), "bytes": t.size}
                  for t in tiles],
    })
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/<path:rest>")
def unknown(rest):
    raise NotFound(_("Diese Kachel gibt es nicht."), {"path": rest})
