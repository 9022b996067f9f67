"""Thin routes of the dashboard: ``/review/dashboard`` and its map document ``/review/dashboard/map``.

The filter form is a plain GET form, so the page works without JavaScript; the map is a
folium document in an ``<iframe>`` with its own CSP (see ``dashboard_map.document_policy``).
"""
from __future__ import annotations

from collections.abc import Mapping

from flask import current_app, make_response, render_template, request, url_for
from flask_babel import format_date, format_decimal, gettext as _, ngettext
from flask_login import current_user

from mapapp.auth import team_required
from mapapp.db import db
from mapapp.findings.filters import FindingFilter, filter_args, read_filter
from mapapp.i18n import category_label, current_language, language_tag, tile_attribution
from mapapp.review import bp
from mapapp.review.dashboard import figures as dashboard
from mapapp.review.access import visible_categories
from mapapp.review.dashboard.chart import Bar, bar_chart_svg
from mapapp.review.dashboard.choropleth import MapTexts, choropleth_document, document_policy
from mapapp.db.schema.districts import LEVELS
from mapapp.security import content_security_policy


def parse_filters(args: Mapping[str, str]) -> tuple[str, FindingFilter, dict]:
    """The form's query string → (level, finding filter, errors by field).

    A wrong value is left out (and named in the errors) rather than failing the whole page.
    """
    errors = {}
    level = args.get("level") or "stadtbezirk"
    if level not in LEVELS:
        errors["level"], level = _("Bitte eine Ebene aus der Liste wählen."), "stadtbezirk"
    flt = read_filter(args, errors)
    if "walk" in errors:  # the form offers a list, so say so rather than "no valid UUID"
        errors["walk"] = _("Bitte eine Begehung aus der Liste wählen.")
    return level, flt, errors


def _visible() -> list[str] | None:
    return visible_categories(db.session, current_user.id, current_user.account.role)


def _walk_chart(walks: list[dict]):
    bars = []
    for walk in walks:
        day = format_date(walk["starts_at"], "short") if walk["starts_at"] else _("ohne Termin")
        label = f"{day} · {walk['title']}"
        count = ngettext("%(num)d Fund", "%(num)d Funde", walk["findings"])
        bars.append(Bar(label=label, value=walk["findings"], tooltip=f"{label}: {count}"))
    return bar_chart_svg(bars, chart_id="walk-chart", title=_("Funde je Begehung"),
                         description=_("Balkendiagramm: Anzahl der Funde je Begehung, nach Termin geordnet."))


@bp.get("/review/dashboard")
@team_required
def dashboard_page():
    level, flt, errors = parse_filters(request.args)
    visible = _visible()
    table = dashboard.district_table(db.session, level=level, filter=flt, visible_categories=visible)
    for category in table["categories"]:
        category["label"] = category_label(category)
    walks = dashboard.findings_per_walk(db.session, filter=flt, visible_categories=visible)
    all_walks = dashboard.findings_per_walk(db.session) if flt else walks
    return render_template(
        "review/dashboard.html", table=table, filters={**vars(flt), "level": level}, errors=errors, walks=walks,
        walk_options=all_walks, chart=_walk_chart(walks) if walks else None, levels=LEVELS,
        map_url=url_for("review.dashboard_map", level=level, **filter_args(flt)),
    )


def _map_texts(level: str) -> MapTexts:
    def number(value: float) -> str:
        return format_decimal(value, format="#,##0.##")

    def describe(props: dict) -> str:
        count = ngettext("%(num)d Fund", "%(num)d Funde", props["findings"])
        return _("%(count)s · %(density)s je km²", count=count, density=number(props["density"]))

    title = (_("Funde je km² nach Stadtbezirk") if level == "stadtbezirk"
             else _("Funde je km² nach Ortsteil"))
    return MapTexts(lang=language_tag(current_language()), title=title, legend_title=_("Funde je km²"),
                    no_findings=_("keine Funde"), describe=describe, number=number)


@bp.get("/review/dashboard/map")
@team_required
def dashboard_map():
    """The choropleth as a document of its own, framed by the dashboard page."""
    level, flt, _errors = parse_filters(request.args)
    geojson = dashboard.density_geojson(db.session, level=level, filter=flt, visible_categories=_visible())
    config = current_app.config
    tile_url = config.get("TILE_URL") or ""
    tiles = ({"url": tile_url, "attribution": tile_attribution(config["TILE_ATTRIBUTION"]),
              "max_zoom": config["TILE_MAX_ZOOM"]}
             if tile_url else None)
    html = choropleth_document(
        geojson, texts=_map_texts(level), tiles=tiles,
        leaflet_js=url_for("vendor.leaflet", filename="leaflet.js"),
        leaflet_css=url_for("vendor.leaflet", filename="leaflet.css"),
        center=config["MAP_CENTER"], zoom=config["MAP_ZOOM"],
    )
    response = make_response(html)
    response.headers["Content-Security-Policy"] = document_policy(content_security_policy(tile_url), html)
    response.headers["Cache-Control"] = "no-store"
    return response
