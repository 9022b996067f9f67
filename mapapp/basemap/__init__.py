"""A self-hosted basemap: the tiles of a PMTiles archive (``MAPAPP_BASEMAP_PMTILES``), served by
the app itself as plain ``/basemap/{z}/{x}/{y}.mvt`` answers, so no map request leaves the
app's origin and a service worker can keep the tiles of a walk's area for offline use.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, url_for

from mapapp.basemap.archive import Basemap
from mapapp.basemap.area import level_diff

bp = Blueprint("basemap", __name__, url_prefix="/basemap")
# The renderer of vector basemaps (npm protomaps-leaflet, served by mapapp/assets/vendor.py).
RENDERER_SCRIPT = "protomaps-leaflet.js"


def init_app(app: Flask) -> None:
    """Open the configured archive once for this process; a bad file stops the start, saying why.

    The basemap replaces the tile host: ``TILE_URL`` is cleared, so that no page, worker,
    policy or export names a third party's tiles.
    """
    app.config.setdefault("BASEMAP_PMTILES", "")
    if app.config["BASEMAP_PMTILES"]:
        app.extensions["basemap"] = Basemap(app.config["BASEMAP_PMTILES"])
        app.config["TILE_URL"] = ""
    app.context_processor(template_context)


def template_context() -> dict:
    """``basemap_enabled`` (offer to store a walk's area) and ``basemap_script`` (the renderer)."""
    return {"basemap_enabled": current_basemap() is not None, "basemap_script": renderer_script_url()}


def current_basemap() -> Basemap | None:
    return current_app.extensions.get("basemap")


def renderer_script_url() -> str | None:
    """The script the map pages load to draw the basemap; None when no vector basemap is configured."""
    basemap = current_basemap()
    if basemap is None or not basemap.is_vector:
        return None
    return url_for("vendor.protomaps", filename=RENDERER_SCRIPT)


def tile_url_template(basemap: Basemap) -> str:
    """``/basemap/{z}/{x}/{y}.<suffix>``, as map libraries take it."""
    url = url_for("basemap.tile", z=0, x=0, y=0, suffix=basemap.suffix)
    return url.replace("/0/0/0.", "/{z}/{x}/{y}.")


def basemap_client_config() -> dict | None:
    """What the map scripts need to draw the basemap (None: none configured).

    ``bounds`` is ``[[south, west], [north, east]]`` (Leaflet's order); the map asks for no
    tile outside it, nor below ``min_zoom + level_diff``.
    """
    basemap = current_basemap()
    if basemap is None:
        return None
    summary = basemap.summary()
    west, south, east, north = summary["bounds"]
    return {
        "url": tile_url_template(basemap),
        "tile_type": summary["tile_type"],
        "bounds": [[south, west], [north, east]],
        "min_zoom": summary["min_zoom"],
        "max_zoom": summary["max_zoom"],
        "level_diff": level_diff(basemap),
    }


from mapapp.basemap import routes  # noqa: E402,F401  (routes attach themselves to bp)
