"""Thin routes: parse the request, call the domain function, return its JSON."""
import json

from flask import Response, current_app, jsonify, request

from mapapp import categories, districts, findings, walks
from mapapp.api import bp
from mapapp.api.openapi import openapi_document
from mapapp.api.schemas import parse_finding, parse_finding_filter
from mapapp.db import db
from mapapp.errors import BadRequest, ValidationFailed
from mapapp.models import LEVELS

GEOJSON = "application/geo+json"


def _json_body():
    raw = request.get_data(cache=False)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("The body is not valid JSON.", {"body": "not valid JSON"}) from None


@bp.post("/findings")
def create_finding():
    new = parse_finding(_json_body())
    feature, created = findings.create_finding(db.session, new)
    response = Response(feature, status=201 if created else 200, mimetype=GEOJSON)
    if created:
        response.headers["Location"] = f"/api/findings/{new.id}"
    return response


@bp.get("/findings")
def list_findings():
    config = current_app.config
    flt = parse_finding_filter(request.args, config["FINDINGS_LIMIT_DEFAULT"], config["FINDINGS_LIMIT_MAX"])
    return Response(findings.feature_collection(db.session, flt), mimetype=GEOJSON)


@bp.get("/findings/<uuid:finding_id>")
def get_finding(finding_id):
    return Response(findings.feature_json(db.session, finding_id), mimetype=GEOJSON)


@bp.get("/districts")
def list_districts():
    level = request.args.get("level", "stadtbezirk")
    if level not in LEVELS:
        raise ValidationFailed("Unknown level.", {"level": f"must be one of {', '.join(LEVELS)}"})
    return Response(districts.districts_geojson(db.session, level), mimetype=GEOJSON)


@bp.get("/categories")
def list_categories():
    return jsonify(categories=categories.list_categories(db.session))


@bp.get("/walks")
def list_walks():
    return jsonify(walks=walks.list_walks(db.session))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
