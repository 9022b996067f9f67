"""Thin routes: the read-only OGC API – Features paths, each answered by pygeoapi's function.

``_answer`` does what pygeoapi's own Flask adapter (``execute_from_flask``) does, plus: a
browser that asks for HTML (pygeoapi's pages load scripts from a CDN, which the app's
Content-Security-Policy refuses) is sent to the JSON, an explicit ``f=html`` is a 400, and a
datetime too large for dateutil is a 400, not a 500. Values PostgreSQL refuses are turned
into 4xx by the provider (mapapp/ogc/provider.py).
"""
from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlencode

from flask import Response, current_app, redirect, request
from flask_babel import gettext as _

from mapapp.db import db, read_database_url
from mapapp.ogc import bp
from mapapp.ogc.collections import Settings, districts_bbox
from mapapp.ogc.feed import PYGEOAPI_LOG, Feed
from mapapp.public_urls import public_root


def _switch(value) -> bool:
    """A setting that must be switched on explicitly (``"false"`` or ``"0"`` stay off)."""
    return value is True or str(value).strip().lower() in ("1", "true", "yes", "on")


def _settings(app, database_url: str) -> Settings:
    config = app.config
    lat, lon = config["MAP_CENTER"]
    return Settings(
        database_url=database_url,
        include_text=_switch(config["OGC_INCLUDE_TEXT"]),
        default_items=int(config["OGC_DEFAULT_ITEMS"]),
        max_items=int(config["OGC_MAX_ITEMS"]),
        bbox=districts_bbox(db.session, (lon - 0.2, lat - 0.15, lon + 0.2, lat + 0.15)),
        licence=config["EXPORT_LICENCE"],
        licence_url=config["OGC_LICENCE_URL"],
        contact=config["EXPORT_CONTACT"],
        connect_timeout=int(config["DB_CONNECT_TIMEOUT"]),
        pooled=bool(config.get("DB_POOLER")),
    )


def _feed() -> Feed:
    """The feed on the read replica while it is usable, else on the primary: one Feed for each."""
    app = current_app._get_current_object()
    database_url = read_database_url()
    feeds = app.extensions.setdefault("ogc", {})
    if database_url not in feeds:
        feeds.setdefault(database_url, Feed(lambda: _settings(app, database_url)))
    return feeds[database_url]


def _api():
    return _feed().api(public_root() + bp.url_prefix)


def _exception(api, status: int, code: str, description: str) -> Response:
    from pygeoapi.api import F_JSON

    headers, status, content = api.get_exception(status, {"Content-Type": "application/json"}, F_JSON, code,
                                                 description)
    return Response(content, status, headers=headers)


def _answer(function, *args, check_format: bool = True) -> Response:
    """Run one of pygeoapi's API functions for this request (see the module docstring); pygeoapi's
    log records are kept only for a server error."""
    api = _api()
    # pygeoapi reads on connections of its own: end the app's transaction (the sign-in check, the
    # feed's settings) first, so that behind a pooler one request holds one server connection.
    db.session.close()
    with PYGEOAPI_LOG.holding() as outcome:
        response = _run(api, function, args, check_format)
        outcome["status"] = response.status_code
    return response


def _run(api, function, args, check_format: bool) -> Response:
    from pygeoapi.api import F_HTML, APIRequest, apply_gzip

    api_request = APIRequest.from_flask(request, api.locales)
    if api_request.format == F_HTML:
        if "f" not in request.args:
            query = urlencode([*request.args.items(multi=True), ("f", "json")])
            return redirect(f"{request.script_root}{request.path}?{query}", HTTPStatus.SEE_OTHER)
        return _exception(api, HTTPStatus.BAD_REQUEST, "InvalidParameterValue",
                          _("Der Dienst antwortet mit JSON (f=json), nicht mit HTML."))
    if check_format and not api_request.is_valid():
        headers, status, content = api.get_format_exception(api_request)
    else:
        try:
            headers, status, content = function(api, api_request, *args)
        except OverflowError:  # dateutil, for a datetime such as 99999999999999999999
            return _exception(api, HTTPStatus.BAD_REQUEST, "InvalidParameterValue", _("Ein Wert ist zu groß."))
        content = apply_gzip(headers, content)
    return Response(content, status, headers=headers)


@bp.get("/", strict_slashes=False)
def landing_page():
    from pygeoapi.api import landing_page

    return _answer(landing_page)


@bp.get("/conformance")
def conformance():
    from pygeoapi.api import conformance

    return _answer(conformance)


@bp.get("/openapi")
def openapi():
    from pygeoapi.api import openapi_

    _feed().openapi(_api())
    return _answer(openapi_)


@bp.get("/collections")
@bp.get("/collections/<collection_id>")
def collections(collection_id=None):
    from pygeoapi.api import describe_collections

    return _answer(describe_collections, collection_id)


@bp.get("/collections/<collection_id>/queryables")
def queryables(collection_id):
    from pygeoapi.api.itemtypes import get_collection_queryables

    return _answer(get_collection_queryables, collection_id)


@bp.get("/collections/<collection_id>/schema")
def schema(collection_id):
    from pygeoapi.api import get_collection_schema

    return _answer(get_collection_schema, collection_id)


@bp.get("/collections/<collection_id>/items")
def items(collection_id):
    from pygeoapi.api.itemtypes import get_collection_items

    return _answer(get_collection_items, collection_id, check_format=False)


@bp.get("/collections/<collection_id>/items/<item_id>")
def item(collection_id, item_id):
    from pygeoapi.api.itemtypes import get_collection_item

    return _answer(get_collection_item, collection_id, item_id)
