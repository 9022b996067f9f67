"""``/organiser/city``: the city's Open311 endpoints, sending concerns there, fetching their status.

Registered by ``create_app``; NOT exempt from CSRF (plain forms with ``csrf_token``).
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mapapp.auth import organiser_required
from mapapp.db import db
from mapapp.errors import DomainError
from mapapp.open311 import city, city_endpoints
from mapapp.open311.city_client import Open311Client

bp = Blueprint("city", __name__, url_prefix="/organiser/city")


def _client() -> Open311Client:
    return Open311Client(timeout=current_app.config.get("CITY_OPEN311_TIMEOUT", 10))


def _page(errors=None, form=None, status=200):
    body = render_template(
        "open311/city.html", endpoints=city_endpoints.list_endpoints(db.session),
        rows=city.overview(db.session), errors=errors or {}, form=form or {},
    )
    return body, status, {"Cache-Control": "no-store"}


@bp.get("/")
@organiser_required
def index():
    return _page()


@bp.post("/endpoints")
@organiser_required
def add_endpoint():
    form = request.form
    try:
        city_endpoints.add_endpoint(
            db.session, name=form.get("name", ""), base_url=form.get("base_url", ""),
            api_key=form.get("api_key", ""), jurisdiction_id=form.get("jurisdiction_id"),
            service_map=city_endpoints.parse_map(form.get("service_map", "")))
    except DomainError as err:
        db.session.rollback()
        return _page(err.fields or {"name": err.message}, form, 422)
    flash(_("Der Endpunkt „%(name)s“ ist gespeichert.", name=form.get("name", "").strip()), "success")
    return redirect(url_for("city.index"))


@bp.post("/send")
@organiser_required
def send():
    try:
        queued = city.queue_concerns(db.session, request.form.get("endpoint", type=int) or 0,
                                     request.form.getlist("concern"))
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("city.index"))
    for concern_id, reason in queued.skipped.items():
        flash(_("Nicht gesendet (%(id)s): %(reason)s", id=concern_id[:8], reason=reason), "error")
    report = city.send_pending(db.session, _client(), user_id=current_user.id)
    if report.sent:
        flash(_("%(n)s Anliegen an die Stadt gesendet.", n=len(report.sent)), "success")
    if report.failed:
        flash(_("%(n)s Anliegen konnten nicht gesendet werden; sie werden später erneut versucht.",
                n=len(report.failed)), "error")
    return redirect(url_for("city.index"))


@bp.post("/refresh")
@organiser_required
def refresh():
    report = city.refresh_statuses(db.session, _client(), user_id=current_user.id)
    flash(_("Status von %(n)s Anliegen abgerufen, %(resolved)s erledigt.",
            n=len(report.updated), resolved=len(report.resolved)), "success")
    for error in report.errors:
        flash(_("Die Stadt war nicht erreichbar: %(error)s", error=error), "error")
    return redirect(url_for("city.index"))
