"""The organiser's pages (``/organiser/``): their walks, and the form to create or edit one."""
from flask import Blueprint

bp = Blueprint("organiser", __name__, url_prefix="/organiser")

from mapapp.organiser import routes  # noqa: E402,F401  (routes attach themselves to bp)
