"""Open311 GeoReport v2 (``/open311/v2``): services, service requests, posting findings by API key.

``bp`` is exempt from CSRF (clients authenticate with ``api_key``). The organiser page
``/organiser/api-keys`` lives on ``keys_bp`` (``create_app`` registers both); it is NOT
exempt from CSRF.
"""
from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
keys_bp = Blueprint("open311_keys", __name__, url_prefix="/organiser/api-keys")


from mapapp.open311 import key_pages, routes  # noqa: E402,F401  (routes attach themselves to the blueprints)
