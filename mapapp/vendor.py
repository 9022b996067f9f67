"""Front-end libraries served by the app itself: XStatic packages and npm packages in node_modules."""
from flask import Blueprint, abort, send_from_directory

from mapapp.config import project_dir

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

CACHE_SECONDS = 7 * 24 * 3600


@bp.get("/leaflet/<path:filename>")
def leaflet(filename):
    from xstatic.pkg import leaflet as package

    return send_from_directory(package.BASE_DIR, filename, max_age=CACHE_SECONDS)


@bp.get("/exifr/<path:filename>")
def exifr(filename):
    """The exifr builds installed by ``npm ci`` (package.json); reads photo EXIF in the browser."""
    dist = project_dir() / "node_modules" / "exifr" / "dist"
    if not dist.is_dir():
        abort(404)
    return send_from_directory(dist, filename, max_age=CACHE_SECONDS, mimetype=_mimetype(filename))


def _mimetype(filename: str) -> str | None:
    """Module scripts need a JavaScript type; Python's table may not know ``.mjs``."""
    return "text/javascript" if filename.endswith((".js", ".mjs")) else None
