"""The JSON API blueprint (``/api``)."""
from flask import Blueprint

from mapapp.security.write_limits import too_many_writes

bp = Blueprint("api", __name__, url_prefix="/api")
bp.register_error_handler(429, too_many_writes)

from mapapp.api import routes  # noqa: E402,F401  (routes attach themselves to bp)
