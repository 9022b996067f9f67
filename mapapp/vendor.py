"""Front-end libraries installed as Python packages (XStatic), served by the app itself."""
from flask import Blueprint, send_from_directory

bp = Blueprint("vendor", __name__, url_prefix="/vendor")

CACHE_SECONDS = 7 * 24 * 3600


@bp.get("/leaflet/<path:filename>")
def leaflet(filename):
    from xstatic.pkg import leaflet as package

    return send_from_directory(package.BASE_DIR, filename, max_age=CACHE_SECONDS)
