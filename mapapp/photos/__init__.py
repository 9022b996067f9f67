"""Photos of findings: upload, list, delete (``/api/findings/<id>/photos``), serve (``/photos``)
and reviewers' corrections of their blurring (``/api/review/photos/<id>/blur``).

``bp`` serves participants (exempt from CSRF: their uploads carry no token; counted in the
participants' write budget); ``review_bp`` serves signed-in reviewers and is checked for CSRF
like every other review route.
"""
from flask import Blueprint

from mapapp.security.write_limits import too_many_writes

bp = Blueprint("photos", __name__)
bp.register_error_handler(429, too_many_writes)
review_bp = Blueprint("photo_review", __name__)

from mapapp.photos import routes  # noqa: E402,F401  (routes attach themselves to bp)
from mapapp.photos import review_routes  # noqa: E402,F401  (to review_bp)
