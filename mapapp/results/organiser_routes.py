"""The team's side of the results: an organiser publishes or withdraws a walk's results, the
team marks photos featured."""
from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mapapp.auth import organiser_required, team_required
from mapapp.db import db
from mapapp.results import bp, queries
from mapapp.results.featuring import set_featured
from mapapp.results.pages import embed_snippet


def _set_published(walk_id, published: bool, message: str):
    queries.set_published(db.session, walk_id, published)
    flash(message, "success")
    return redirect(url_for("organiser.edit_walk", walk_id=walk_id) + "#results")


@bp.post("/organiser/walks/<uuid:walk_id>/results/publish")
@organiser_required
def publish(walk_id):
    return _set_published(walk_id, True, _("Die Ergebnisse sind jetzt öffentlich."))


@bp.post("/organiser/walks/<uuid:walk_id>/results/unpublish")
@organiser_required
def unpublish(walk_id):
    return _set_published(walk_id, False, _("Die Ergebnisse sind nicht mehr öffentlich."))


@bp.post("/api/review/photos/<uuid:photo_id>/featured")
@team_required
def feature_photo(photo_id):
    body = request.get_json(silent=True)
    featured = body.get("featured") if isinstance(body, dict) else None
    return jsonify(set_featured(db.session, current_user, photo_id, featured))


@bp.app_template_global("results_publication")
def results_publication(walk: dict) -> dict:
    """For the organiser's walk page: whether the walk's results are public, their link, the widget snippet."""
    publication = queries.publication(db.session, walk["join_code"])
    return {**publication, "snippet": embed_snippet(walk)}


@bp.app_template_global("featured_photo_ids")
def featured_photo_ids(features: list[dict]) -> set[str]:
    """For a review page: which of the photos of these findings (Features) are featured."""
    ids = [photo["id"] for feature in features for photo in feature["properties"].get("photos") or []]
    return queries.featured_among(db.session, ids)
