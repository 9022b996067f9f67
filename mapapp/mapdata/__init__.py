"""Map data for any view: the viewport API (``/api/viewport``) and vector tiles (``/tiles/…``)."""
from flask import Blueprint

bp = Blueprint("tiles", __name__)

from mapapp.mapdata import routes  # noqa: E402,F401  (routes attach themselves to bp)
