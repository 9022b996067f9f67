"""Thin routes: parse the request, call the domain function, return its JSON."""
import json

from flask import Response, current_app, jsonify, request
from flask_babel import gettext as _

from mapapp.findings import categories, confirmations
from mapapp.districts import boundaries as districts
from mapapp.findings import store as findings, own as own_findings
from mapapp.walks import listing as walks
from mapapp.api import bp
from mapapp.api.openapi import openapi_document
from mapapp.api.query_params import parse_finding_filter, parse_nearby, parse_optional_uuid
from mapapp.api.schemas import parse_finding, parse_finding_patch
from mapapp.db import db
from mapapp.errors import BadRequest, ValidationFailed
from mapapp.i18n import localize_category
from mapapp.walks.editing import walk_detail
from mapapp.findings.participants import current_participant_id, issue_cookie, require_participant
from mapapp.photos import service as photo_service
from mapapp.photos.storage import current_storage as photo_storage
from mapapp.db.schema.districts import LEVELS
from mapapp.statuses import status_labels

GEOJSON = "application/geo+json"


def _json_body():
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadRequest(_("Die Anfrage ist kein gültiges JSON."), {"body": _("Kein gültiges JSON.")}) from None


def _geojson(body: str, status: int = 200) -> Response:
    """Answer with PostGIS-built GeoJSON text; an unchanged body is a 304 for If-None-Match."""
    response = Response(body, status=status, mimetype=GEOJSON)
    if request.method == "GET":
        response.add_etag()
        response.headers["Cache-Control"] = "no-cache"
        return response.make_conditional(request)
    return response


@bp.post("/findings")
def create_finding():
    new = parse_finding(_json_body())
    new.participant_id = issue_cookie()  # its row is made by the insert (findings.INSERT_SQL)
    feature, created = findings.create_finding(db.session, new)
    response = _geojson(feature, status=201 if created else 200)
    if created:
        response.headers["Location"] = f"/api/findings/{new.id}"
    return response


@bp.get("/findings")
def list_findings():
    config = current_app.config
    flt, limit = parse_finding_filter(request.args, config["FINDINGS_LIMIT_DEFAULT"], config["FINDINGS_LIMIT_MAX"])
    return _geojson(findings.feature_collection(db.session, flt, limit, viewer=current_participant_id()))


@bp.get("/me/findings")
def my_findings():
    """The findings of the participant cookie's holder ("Meine Funde"); none without a cookie."""
    walk_id = parse_optional_uuid(request.args, "walk")
    return _geojson(own_findings.list_own_findings(
        db.session, current_participant_id(), status_labels(), walk_id, current_app.config["FINDINGS_LIMIT_MAX"],
    ))


@bp.get("/findings/<uuid:finding_id>")
def get_finding(finding_id):
    return _geojson(findings.feature_json(db.session, finding_id, viewer=current_participant_id()))


@bp.patch("/findings/<uuid:finding_id>")
def update_finding(finding_id):
    changes = parse_finding_patch(_json_body())
    return _geojson(own_findings.update_finding(db.session, finding_id, current_participant_id(), changes))


@bp.delete("/findings/<uuid:finding_id>")
def delete_finding(finding_id):
    for stored_sha256 in own_findings.delete_finding(db.session, finding_id, current_participant_id()):
        photo_service.remove_unreferenced(db.session, photo_storage(), stored_sha256)
    return "", 204


@bp.get("/findings/nearby")
def nearby_findings():
    query = parse_nearby(request.args)
    return _geojson(confirmations.nearby(db.session, viewer=current_participant_id(), **query))


@bp.post("/findings/<uuid:finding_id>/confirmations")
def confirm_finding(finding_id):
    participant_id = require_participant(db.session)
    count, created = confirmations.confirm(db.session, finding_id, participant_id)
    return jsonify(confirmations=count), 201 if created else 200


@bp.delete("/findings/<uuid:finding_id>/confirmations")
def unconfirm_finding(finding_id):
    participant_id = current_participant_id()
    if participant_id is None:
        return jsonify(confirmations=confirmations.count(db.session, finding_id))
    return jsonify(confirmations=confirmations.unconfirm(db.session, finding_id, participant_id))


@bp.get("/districts")
def list_districts():
    level = request.args.get("level") or "stadtbezirk"
    if level not in LEVELS:
        raise ValidationFailed(_("Unbekannte Ebene."), {"level": _("Erlaubt: %(levels)s", levels=", ".join(LEVELS))})
    return _geojson(districts.districts_geojson(db.session, level))


@bp.get("/categories")
def list_categories():
    walk_id = parse_optional_uuid(request.args, "walk")
    return jsonify(categories=[localize_category(c) for c in categories.list_categories(db.session, walk_id)])


@bp.get("/walks")
def list_walks():
    return jsonify(walks=walks.list_walks(db.session))


@bp.get("/walks/<ref>")
def get_walk(ref):
    """One walk by id or join code: route, bounds, meeting point, offered categories."""
    return jsonify(walk_detail(db.session, ref))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
