"""Health checks for load balancers and orchestrators: ``/healthz`` (process) and ``/readyz``."""
from flask import Blueprint

bp = Blueprint("health", __name__)

from mapapp.health import routes  # noqa: E402,F401  (routes attach themselves to bp)
