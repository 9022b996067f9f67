"""Thin GeoReport v2 routes: parse, call the plain modules, answer in JSON or XML."""
import json

from flask import Response, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from mapapp.db import db, read_one, read_session
from mapapp.errors import DomainError
from mapapp.open311 import apikeys, bp, service_requests, services, submit, xmlout
from mapapp.public_urls import public_root, public_url
from mapapp.security.write_limits import too_many_writes_message

FMT = "<any(json, xml):fmt>"
MEDIA_TYPES = {"json": "application/json", "xml": "text/xml; charset=utf-8"}


def answer(fmt: str, value, xml_root: str, status: int = 200) -> Response:
    if fmt == "xml":
        body = xmlout.document(xml_root, value)
    else:
        body = json.dumps(value, ensure_ascii=False)
    return Response(body, status=status, mimetype=None, content_type=MEDIA_TYPES[fmt])


def error_answer(status: int, description: str) -> Response:
    fmt = (request.view_args or {}).get("fmt") or ("xml" if request.path.endswith(".xml") else "json")
    return answer(fmt, [{"code": status, "description": description}], "errors", status)


@bp.errorhandler(DomainError)
def domain_error(err: DomainError):
    db.session.rollback()
    status = 400 if err.status == 422 else err.status
    details = "; ".join(f"{name}: {problem}" if problem else name for name, problem in err.fields.items())
    return error_answer(status, f"{err.message} ({details})" if details else err.message)


@bp.errorhandler(429)
def too_many_writes(_err):
    """The write budget (mapapp/security/write_limits.py) is spent: the GeoReport error list."""
    return error_answer(429, too_many_writes_message())


@bp.errorhandler(HTTPException)
def http_error(err: HTTPException):
    return error_answer(err.code or 500, err.description or err.name)


@bp.before_request
def jurisdiction():
    services.check_jurisdiction(request.values.get("jurisdiction_id"))


def _base_url() -> str:
    """The root of ``media_url`` links: ``PUBLIC_BASE_URL``, else the (trusted) request host."""
    return public_root()


@bp.get(f"/discovery.{FMT}")
def discovery(fmt):
    changeset = "2026-11-25T00:00:00+01:00"
    endpoint = {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": public_url("open311.services_list", fmt="json").rsplit("/", 1)[0],
        "changeset": changeset,
        "type": "production",
        "formats": ["application/json", "text/xml"],
    }
    value = {"changeset": changeset, "contact": _("Stadt Duisburg, Ortsbegehungen"),
             "key_service": _("API-Schlüssel vergibt das Organisationsteam."), "endpoints": [endpoint]}
    return answer(fmt, value, "discovery")


@bp.get(f"/services.{FMT}")
def services_list(fmt):
    return answer(fmt, services.list_services(read_session(), request.args.get("locale")), "services")


@bp.get(f"/services/<code>.{FMT}")
def service_definition(code, fmt):
    return answer(fmt, services.service_definition(read_session(), code, request.args.get("locale")),
                  "service_definition")


@bp.get(f"/requests.{FMT}")
def requests_list(fmt):
    query = service_requests.parse_query(request.args)
    return answer(fmt, service_requests.list_requests(read_session(), query, _base_url()), "service_requests")


@bp.get(f"/requests/<request_id>.{FMT}")
def request_detail(request_id, fmt):
    found = read_one(service_requests.get_request, request_id, _base_url(), request.args.get("locale"))
    return answer(fmt, [found], "service_requests")


@bp.post(f"/requests.{FMT}")
def requests_create(fmt):
    apikeys.check_key(db.session, request.values.get("api_key"))
    request_id = submit.submit(db.session, request.form)
    notice = _("Danke! Die Meldung ist eingegangen; ein Team prüft sie.")
    value = [{"service_request_id": request_id, "service_notice": notice, "account_id": None}]
    return answer(fmt, value, "service_requests", 201)
