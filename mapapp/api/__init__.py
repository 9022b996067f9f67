"""The JSON API blueprint (``/api``)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from mapapp.api import routes  # noqa: E402,F401  (routes attach themselves to bp)
