"""Photos of findings: upload, list, delete (``/api/findings/<id>/photos``) and serve (``/photos``)."""
from flask import Blueprint

bp = Blueprint("photos", __name__)

from mapapp.photos import routes  # noqa: E402,F401  (routes attach themselves to bp)
