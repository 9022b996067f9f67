"""Photos of findings: upload, list, delete (``/api/findings/<id>/photos``) and serve (``/photos``)."""
from flask import Blueprint

from mapapp.write_limits import too_many_writes

bp = Blueprint("photos", __name__)
bp.register_error_handler(429, too_many_writes)

from mapapp.photos import routes  # noqa: E402,F401  (routes attach themselves to bp)
