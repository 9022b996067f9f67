"""Thin JSON routes for concerns under ``/api/review/`` (team members and organisers, CSRF-checked).

A change to a concern carries the version the client saw: the ``If-Match: "<version>"``
header or ``version`` in the body. Without one the answer is 428; with an old one 412
``{"error": "precondition_failed", "current_version": n}`` and nothing is written.
"""
import uuid

from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import PreconditionRequired

from mapapp.auth import team_required
from mapapp.db import db
from mapapp.errors import BadRequest, ValidationFailed
from mapapp.statuses import CONCERN_STATUSES
from mapapp.review import bp
from mapapp.review.concerns import workflow as concerns
from mapapp.review.access import categories_of, require_category


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest(_("Die Anfrage ist kein gültiges JSON."), {"body": _("Kein gültiges JSON.")})
    return body


def _uuid(value, name: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        message = _("Das ist keine gültige ID.")
        raise ValidationFailed(message, {name: message}) from None


def expected_version(body: dict) -> int:
    """The version the client based its change on: ``If-Match`` first, else ``version`` in the body."""
    raw = request.headers.get("If-Match", "").strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"') or body.get("version")
    if raw in (None, "", "*"):
        raise PreconditionRequired(_("Bitte die Version angeben, auf der die Änderung beruht (If-Match)."))
    try:
        version = int(raw)
    except (TypeError, ValueError):
        version = 0
    if isinstance(raw, bool) or version < 1:
        message = _("Das ist keine gültige Version.")
        raise ValidationFailed(message, {"version": message})
    return version


def concern_url(concern_id) -> str:
    return url_for("review.concern_page", concern_id=concern_id)


def _detail_response(detail: dict, status: int = 200):
    response = jsonify(detail | {"url": concern_url(detail["id"])})
    response.status_code = status
    response.set_etag(str(detail["version"]))
    response.headers["Cache-Control"] = "no-store"
    return response


def _list_args() -> dict:
    statuses = [s for s in request.args.get("status", "").split(",") if s]
    if set(statuses) - set(CONCERN_STATUSES):
        message = _("Unbekannter Status.")
        raise ValidationFailed(message, {"status": message})
    return {"status": statuses or None, "walk_id": _uuid(request.args.get("walk"), "walk"),
            "district": request.args.get("district") or None}


@bp.post("/api/review/concerns")
@team_required
def api_create_concern():
    body = _body()
    detail = concerns.create_concern(
        db.session, title=body.get("title"), summary=body.get("summary"), category=body.get("category"),
        finding_ids=body.get("finding_ids"), user_id=current_user.id, lat=body.get("lat"), lon=body.get("lon"),
    )
    response = _detail_response(detail, 201)
    response.headers["Location"] = url_for("review.api_concern", concern_id=detail["id"])
    return response


@bp.get("/api/review/concerns")
@team_required
def api_concerns():
    rows = concerns.list_concerns(db.session, visible_categories=categories_of(db.session, current_user),
                                  **_list_args())
    return jsonify([row | {"url": concern_url(row["id"])} for row in rows]), 200, {"Cache-Control": "no-store"}


@bp.get("/api/review/concerns/<uuid:concern_id>")
@team_required
def api_concern(concern_id):
    detail = concerns.concern_detail(db.session, concern_id)
    require_category(db.session, current_user, detail["category"])
    return _detail_response(detail)


def _versioned_change(change, concern_id, **body_keys):
    """Apply `change` to a concern with the version the client saw; `body_keys` maps each of the
    change's arguments to the request body's field that carries it."""
    body = _body()
    version = expected_version(body)
    detail = change(db.session, concern_id, user_id=current_user.id, expected_version=version,
                    **{argument: body.get(key) for argument, key in body_keys.items()})
    return _detail_response(detail)


@bp.patch("/api/review/concerns/<uuid:concern_id>")
@team_required
def api_update_concern(concern_id):
    return _versioned_change(concerns.update_concern, concern_id, title="title", summary="summary",
                             lat="lat", lon="lon", public_message="public_message")


@bp.post("/api/review/concerns/<uuid:concern_id>/status")
@team_required
def api_concern_status(concern_id):
    return _versioned_change(concerns.change_status, concern_id, to_status="status", note="note",
                             duplicate_of="duplicate_of")


@bp.post("/api/review/findings/<uuid:finding_id>/move")
@team_required
def api_move_finding(finding_id):
    body = _body()
    if "concern_id" not in body:
        message = _("Bitte das Ziel-Anliegen angeben (oder null).")
        raise ValidationFailed(message, {"concern_id": message})
    result = concerns.move_finding(db.session, finding_id, _uuid(body["concern_id"], "concern_id"),
                                   current_user.id)
    return jsonify(result)
