"""Query parameters of the viewport API and the vector tiles → ViewportQuery; 422 names the field."""
from __future__ import annotations

import math

from flask_babel import gettext as _

from mapapp.errors import NotFound, ValidationFailed
from mapapp.findings.filters import read_filter
from mapapp.mapdata.viewport import HALF_WORLD, M_PER_PX_Z0, ViewportQuery

MAX_ZOOM = 22
# A view wider or taller than this many screen pixels at its zoom is not a map view.
MAX_VIEW_PX = 8192


def _bbox(raw: str | None, errors: dict) -> tuple[float, float, float, float] | None:
    if not raw:
        errors["bbox"] = _("Bitte W,S,E,N als Längen- und Breitengrade angeben.")
        return None
    try:
        values = [float(part) for part in raw.split(",")]
    except ValueError:
        values = []
    if len(values) != 4 or not all(math.isfinite(v) for v in values):
        errors["bbox"] = _("Bitte %(count)s endliche Zahlen angeben.", count=4)
        return None
    west, south, east, north = values
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        errors["bbox"] = _("West muss kleiner als Ost sein und Süd kleiner als Nord.")
        return None
    return west, south, east, north


def _int(raw: str | None, name: str, low: int, high: int, errors: dict) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        errors[name] = _("Muss eine ganze Zahl von %(low)s bis %(high)s sein.", low=low, high=high)
        return None
    return value


def _merc_y(lat: float) -> float:
    lat = max(-85.0511, min(85.0511, lat))
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * 6378137


def view_too_large(bbox, zoom: int) -> bool:
    """Whether ``bbox`` at ``zoom`` spans more than MAX_VIEW_PX pixels in either direction."""
    m_per_px = M_PER_PX_Z0 / 2 ** zoom
    width = (bbox[2] - bbox[0]) * HALF_WORLD / 180 / m_per_px
    height = (_merc_y(bbox[3]) - _merc_y(bbox[1])) / m_per_px
    return max(width, height) > MAX_VIEW_PX


def parse_viewport(args) -> ViewportQuery:
    """``bbox``, ``zoom`` and the filters; ValidationFailed names every bad parameter."""
    errors: dict[str, str] = {}
    bbox = _bbox(args.get("bbox"), errors)
    zoom = _int(args.get("zoom"), "zoom", 0, MAX_ZOOM, errors)
    flt = read_filter(args, errors)
    if bbox and zoom is not None and view_too_large(bbox, zoom):
        errors["bbox"] = _("Der Kartenausschnitt ist für diese Zoomstufe zu groß.")
    if errors:
        raise ValidationFailed(_("Einige Abfrageparameter sind nicht gültig."), errors)
    return ViewportQuery(bbox=bbox, zoom=zoom, filter=flt)


def parse_tile(z: int, x: int, y: int, args) -> ViewportQuery:
    """Check tile coordinates and the filters; the tile defines bbox and zoom.

    A negative coordinate or a zoom beyond MAX_ZOOM is a 422, as the OpenAPI document's bounds
    say; x or y beyond the zoom's grid (which no document can bound) names no tile: a 404.
    """
    errors: dict[str, str] = {}
    if not 0 <= z <= MAX_ZOOM:
        errors["z"] = _("Muss eine ganze Zahl von %(low)s bis %(high)s sein.", low=0, high=MAX_ZOOM)
    for name, value in (("x", x), ("y", y)):
        if value < 0:
            errors[name] = _("Muss mindestens %(limit)s sein.", limit=0)
    flt = read_filter(args, errors)
    if errors:
        raise ValidationFailed(_("Einige Abfrageparameter sind nicht gültig."), errors)
    beyond = {name: _("Muss eine ganze Zahl von %(low)s bis %(high)s sein.", low=0, high=2 ** z - 1)
              for name, value in (("x", x), ("y", y)) if value >= 2 ** z}
    if beyond:
        raise NotFound(_("Diese Kachel gibt es nicht."), beyond)
    return ViewportQuery(bbox=(-180, -85.0511, 180, 85.0511), zoom=z, filter=flt)
