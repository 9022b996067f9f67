"""The organiser's pages (``/organiser/``): their walks and the walk form, accounts and teams."""
from flask import Blueprint

bp = Blueprint("organiser", __name__, url_prefix="/organiser")

from mapapp.organiser import accounts, export_jobs, exports, routes  # noqa: E402,F401  (routes attach themselves to bp)
