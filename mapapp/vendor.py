"""Front-end libraries served by the app itself: XStatic packages and npm packages in node_modules.

Cache headers come from mapapp/assets.py: versioned URLs (``?v=<content hash>``) are immutable,
others are revalidated.
"""
from pathlib import Path

from flask import Blueprint, abort, send_from_directory

from mapapp.config import project_dir

bp = Blueprint("vendor", __name__, url_prefix="/vendor")


def leaflet_dir() -> Path:
    from xstatic.pkg import leaflet as package

    return Path(package.BASE_DIR)


def exifr_dir() -> Path:
    """The exifr builds installed by ``npm ci`` (package.json); reads photo EXIF in the browser."""
    return project_dir() / "node_modules" / "exifr" / "dist"


def markercluster_dir() -> Path:
    """Leaflet.markercluster from ``npm ci``: groups overlapping pins, spiderfies identical ones."""
    return project_dir() / "node_modules" / "leaflet.markercluster" / "dist"


def protomaps_dir() -> Path:
    """protomaps-leaflet from ``npm ci``: draws the self-hosted vector basemap (mapapp/basemap)."""
    return project_dir() / "node_modules" / "protomaps-leaflet" / "dist"


@bp.get("/leaflet/<path:filename>")
def leaflet(filename):
    return send_from_directory(leaflet_dir(), filename)


@bp.get("/exifr/<path:filename>")
def exifr(filename):
    dist = exifr_dir()
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, filename, mimetype=_mimetype(filename))


@bp.get("/markercluster/<path:filename>")
def markercluster(filename):
    dist = markercluster_dir()
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, filename, mimetype=_mimetype(filename))


@bp.get("/protomaps/<path:filename>")
def protomaps(filename):
    dist = protomaps_dir()
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, filename, mimetype=_mimetype(filename))


def _mimetype(filename: str) -> str | None:
    """Module scripts need a JavaScript type; Python's table may not know ``.mjs``."""
    return "text/javascript" if filename.endswith((".js", ".mjs")) else None
