"""A live feed for the city's GIS: OGC API – Features at ``/ogc``, served by pygeoapi.

The public views of migration 0009 (findings, concerns, walks, walk routes, districts) are
published as collections with bbox, datetime, limit/offset, ``crs`` (CRS84, EPSG:4326,
EPSG:25832) and JSON/GeoJSON, by pygeoapi's own API functions and its PostgreSQL provider,
mounted in this app. This package only builds pygeoapi's configuration from the app's
settings and maps the read-only Features routes to pygeoapi's functions.

Why not pygeoapi's ready-made Flask blueprint (``pygeoapi.flask_app``): that module reads its
configuration and OpenAPI document from files named by ``PYGEOAPI_CONFIG`` and
``PYGEOAPI_OPENAPI`` when it is imported and keeps them in module globals, i.e. one
configuration per process, while one process may build several apps on different databases
(the tests do); it would also mount every other pygeoapi API (processes, tiles, maps, EDR,
writes to items). Here every app has its own ``API`` object, the configuration (with the
database password) stays in memory, and only the routes below exist.

Settings: ``OGC_INCLUDE_TEXT`` (default off, like the exports' ``--no-text`` for a public
release: no descriptions, no concern titles or summaries, no free-text answers),
``OGC_DEFAULT_ITEMS`` and ``OGC_MAX_ITEMS`` (items per page), ``OGC_LICENCE_URL``.
"""
from flask import Blueprint

bp = Blueprint("ogc", __name__, url_prefix="/ogc")

DEFAULTS = {
    "OGC_INCLUDE_TEXT": False,
    "OGC_DEFAULT_ITEMS": 1000,
    "OGC_MAX_ITEMS": 10000,
    "OGC_LICENCE_URL": "https://www.govdata.de/dl-de/by-2-0",
}


def init_app(app) -> None:
    """Fill in the settings above that the app's configuration leaves out."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)


from mapapp.ogc import routes  # noqa: E402,F401  (routes attach themselves to bp)
