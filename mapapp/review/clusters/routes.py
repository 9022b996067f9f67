"""Thin routes of the cluster view: the page ``/review/`` and its JSON under ``/api/review/``."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import text

from mapapp.findings import categories
from mapapp.auth import team_required
from mapapp.colours import category_colours
from mapapp.config import LOCAL_TZ
from mapapp.db import db
from mapapp.errors import NotFound
from mapapp.i18n import category_label
from mapapp.walks.queries import district_options
from mapapp.review import bp
from mapapp.review.access import visible_categories
from mapapp.review.clusters.params import (
    DEFAULT_EPS,
    DEFAULT_MIN,
    EPS_RANGE,
    MIN_RANGE,
    parse_cluster_args,
    parse_ids,
)
from mapapp.review.clusters.clustering import (
    cluster_finding_ids,
    find_clusters,
    findings_collection,
)
from mapapp.statuses import CONCERN_STATUSES

JSON = {"Content-Type": "application/json", "Cache-Control": "no-store"}


def _visible() -> list[str] | None:
    return visible_categories(db.session, current_user.id, current_user.account.role)


def _walk_options() -> list[dict]:
    rows = db.session.execute(text("""
        SELECT id::text AS id, title, to_char(starts_at AT TIME ZONE :tz, 'DD.MM.YYYY') AS day
        FROM walks ORDER BY starts_at DESC NULLS LAST, title
    """), {"tz": LOCAL_TZ}).mappings()
    return [dict(row) for row in rows]


def page_config(offered: list[dict]) -> dict:
    """What static/js/review/clusters.js needs: API URLs, tiles and view, CSRF token, defaults,
    the categories the viewer may see with their labels in the page's language, and the
    categories' colours (mapapp/colours.py, shared with the GIS exports)."""
    from mapapp.capture import client_config

    config = client_config()
    return {
        "api": {
            "clusters": url_for("review.api_clusters"),
            "findings": url_for("review.api_cluster_findings_by_ids"),
            "concerns": url_for("review.api_create_concern"),
            "districts": config["api"]["districts"],
        },
        "tiles": config["tiles"],
        "center": config["center"],
        "zoom": config["zoom"],
        "csrf_token": generate_csrf(),
        "categories": offered,
        "colours": category_colours(db.session),
    }


@bp.get("/review/")
@team_required
def clusters_page():
    visible = _visible()
    offered = [
        {"slug": c["slug"], "label": category_label(c), "icon": c["icon"]}
        for c in categories.list_categories(db.session) if visible is None or c["slug"] in visible
    ]
    return render_template(
        "review/clusters.html", config=page_config(offered), walks=_walk_options(),
        districts=district_options(db.session), categories=offered, statuses=CONCERN_STATUSES,
        eps_range=EPS_RANGE, min_range=MIN_RANGE, defaults={"eps": DEFAULT_EPS, "min": DEFAULT_MIN},
    )


@bp.get("/api/review/clusters")
@team_required
def api_clusters():
    filters = parse_cluster_args(db.session, request.args)
    return find_clusters(db.session, **filters, visible_categories=_visible()), 200, JSON


@bp.get("/api/review/findings")
@team_required
def api_cluster_findings_by_ids():
    ids = parse_ids(request.args.get("ids"))
    return findings_collection(db.session, ids, _visible()), 200, JSON


@bp.get("/api/review/clusters/<key>/findings")
@team_required
def api_cluster_findings(key: str):
    """The findings of one cluster; the query string must repeat the one the cluster came from."""
    filters = parse_cluster_args(db.session, request.args)
    visible = _visible()
    ids = cluster_finding_ids(db.session, key, **filters, visible_categories=visible)
    if ids is None:
        raise NotFound(_("Diese Gruppe gibt es mit diesen Einstellungen nicht."))
    return findings_collection(db.session, ids, visible), 200, JSON
