"""Team review: teams own categories and review the findings of those categories.

Pages live under ``/review/...``, JSON under ``/api/review/...``; both are CSRF-protected
(the JS sends the token in an ``X-CSRFToken`` header). Route modules attach themselves to
``bp`` and are imported at the bottom.
"""
from flask import Blueprint

bp = Blueprint("review", __name__)

from mapapp.review.concerns import pages as concern_pages, routes as concern_routes  # noqa: E402,F401
from mapapp.review.clusters import routes as cluster_routes  # noqa: E402,F401
from mapapp.review.dashboard import routes as dashboard_routes  # noqa: E402,F401
