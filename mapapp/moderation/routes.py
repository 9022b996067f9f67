"""Thin routes of the moderation queue: the page ``/review/moderation`` and its JSON actions.

The JSON routes sit under ``/api/review/moderation/`` and, like the review's, need a signed-in
team member or organiser and the CSRF token (``X-CSRFToken`` header).
"""
from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from mapapp.auth import team_required
from mapapp.db import db
from mapapp.errors import BadRequest
from mapapp.i18n import local_time, translate_label
from mapapp.moderation import actions, history, queue, settings
from mapapp.statuses import MODERATION_STATES

bp = Blueprint("moderation", __name__)

JSON_HEADERS = {"Cache-Control": "no-store"}
PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def state_labels() -> dict[str, str]:
    """The queue's tabs: each state's name in the request's language."""
    return {"pending": _("Wartend"), "approved": _("Veröffentlicht"), "hidden": _("Verborgen")}


def page_texts() -> dict[str, str]:
    """What static/js/review/moderation.js says, in the request's language."""
    return {
        "approved": _("Veröffentlicht."), "hidden": _("Verborgen."), "saved": _("Öffentlicher Text gespeichert."),
        "failed": _("Das hat nicht geklappt. Bitte noch einmal versuchen."), "empty": _("Nichts mehr zu sichten."),
    }


def _url(endpoint: str, id_name: str, **values) -> str:
    """The endpoint's URL with ``{id}`` (and ``{action}``) for the script to fill in."""
    url = url_for(endpoint, **{id_name: PLACEHOLDER}, **values)
    return url.replace(PLACEHOLDER, "{id}").replace("ACTION", "{action}")


def page_config() -> dict:
    return {
        "api": {"text": _url("moderation.api_text", "finding_id", action="ACTION"),
                "photo": _url("moderation.api_photo", "photo_id", action="ACTION"),
                "edit": _url("moderation.api_edit_text", "finding_id")},
        "csrf_token": generate_csrf(),
        "texts": page_texts(),
    }


@bp.app_context_processor
def pending_badge():
    """``moderation_pending()`` for the review navigation: the signed-in reviewer's pending count,
    None when the queue is not shown (``off`` mode with nothing left pending)."""

    def moderation_pending():
        if not current_user.is_authenticated:
            return None
        count = queue.pending_count(db.session, current_user)
        return count if count or settings.queue_shown() else None

    return {"moderation_pending": moderation_pending}


@bp.get("/review/moderation")
@team_required
def queue_page():
    state = request.args.get("state") or "pending"
    if state not in MODERATION_STATES:
        state = "pending"
    items = queue.list_items(db.session, current_user, state)
    for item in items:
        item["category_label"] = translate_label(item["label_de"], item["label_en"])
        for answer in item["answers"] or []:
            answer["label"] = translate_label(answer["label"], answer["label_en"])
    history.annotate_queue(db.session, items)
    return render_template("review/moderation.html", items=items, state=state, states=state_labels(),
                           mode=settings.current_mode(), config=page_config(), when=local_time)


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest(_("Die Anfrage ist kein gültiges JSON."), {"body": _("Kein gültiges JSON.")})
    return body


def _answer(result: dict):
    result["pending"] = queue.pending_count(db.session, current_user)
    return jsonify(result), 200, JSON_HEADERS


@bp.post("/api/review/moderation/texts/<finding_id>/<action>")
@team_required
def api_text(finding_id, action):
    """Approve, hide or unhide a finding's free text."""
    return _answer(actions.decide_text(db.session, current_user, finding_id, action))


@bp.post("/api/review/moderation/photos/<photo_id>/<action>")
@team_required
def api_photo(photo_id, action):
    """Approve, hide or unhide a photo."""
    return _answer(actions.decide_photo(db.session, current_user, photo_id, action))


@bp.put("/api/review/moderation/texts/<finding_id>")
@team_required
def api_edit_text(finding_id):
    """Publish a moderator's edit of the text: ``{"text": "..."}``."""
    limit = int(current_app.config["DESCRIPTION_MAX_CHARS"])
    return _answer(actions.edit_public_text(db.session, current_user, finding_id, _body().get("text"), limit))
