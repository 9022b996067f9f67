"""Photos of findings: upload, list, delete (``/api/findings/<id>/photos``), serve (``/photos``)
and reviewers' corrections of their blurring (``/api/review/photos/<id>/blur``)."""
from flask import Blueprint

from mapapp.security.write_limits import too_many_writes

bp = Blueprint("photos", __name__)
bp.register_error_handler(429, too_many_writes)

from mapapp.photos import routes  # noqa: E402,F401  (routes attach themselves to bp)
from mapapp.photos import review_routes  # noqa: E402,F401
