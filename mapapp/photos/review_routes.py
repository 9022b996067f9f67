"""Thin JSON routes for reviewers' corrections of a photo's blurring (team members and organisers).

``GET/POST /api/review/photos/<id>/blur`` lists the regions and blurs a drawn box;
``DELETE /api/review/photos/<id>/blur/<region id>`` unblurs one (only where the original was
kept). A script sends the CSRF token in ``X-CSRFToken`` like the other review JSON.
"""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from mapapp.auth import team_required
from mapapp.db import db
from mapapp.errors import Forbidden
from mapapp.photos import blur, redaction, review_bp
from mapapp.photos.storage import current_storage
from mapapp.review.access import may_see_finding


def _reviewable(photo_id) -> dict:
    """The photo's state; Forbidden unless the signed-in user may review its finding."""
    state = redaction.photo_state(db.session, photo_id)
    if not may_see_finding(db.session, current_user, state["finding_id"]):
        raise Forbidden(_("Dieses Foto gehört zu einem Fund, den ein anderes Team prüft."))
    return state


def _answer(state: dict, status: int = 200):
    return jsonify(state), status, {"Cache-Control": "no-store"}


@review_bp.get("/api/review/photos/<uuid:photo_id>/blur")
@team_required
def blur_regions(photo_id):
    return _answer(_reviewable(photo_id))


@review_bp.post("/api/review/photos/<uuid:photo_id>/blur")
@team_required
def add_blur(photo_id):
    _reviewable(photo_id)
    box = blur.manual_box(request.get_json(silent=True))
    state = redaction.add_region(db.session, current_storage(), photo_id, box, current_user.id, current_user.name)
    return _answer(state, 201)


@review_bp.delete("/api/review/photos/<uuid:photo_id>/blur/<region_id>")
@team_required
def remove_blur(photo_id, region_id):
    _reviewable(photo_id)
    state = redaction.remove_region(db.session, current_storage(), photo_id, region_id, current_user.id,
                                    current_user.name)
    return _answer(state)
