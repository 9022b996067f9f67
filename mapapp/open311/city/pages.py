"""``/organiser/city``: the city's Open311 endpoints, sending concerns there, fetching their status.

Registered by ``create_app``; NOT exempt from CSRF (plain forms with ``csrf_token``).
"""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mapapp.auth import organiser_required
from mapapp.db import db
from mapapp.errors import DomainError
from mapapp.open311.city import endpoints as city_endpoints
from mapapp.open311.city import state as city_state
from mapapp.open311.city.client import Open311Client
from mapapp.open311.city.links import public_links
from mapapp.open311.city.queue import overview, queue_concerns
from mapapp.open311.city.refresh import refresh_statuses
from mapapp.open311.city.sending import send_pending

bp = Blueprint("city", __name__, url_prefix="/organiser/city")


def _client() -> Open311Client:
    return Open311Client(timeout=current_app.config.get("CITY_OPEN311_TIMEOUT", 10))


def _stale_after() -> float:
    """Seconds after which a row still 'sending' counts as abandoned (must exceed the client timeout)."""
    return current_app.config.get("CITY_OPEN311_STALE_AFTER", city_state.STALE_AFTER_SECONDS)


def _sending() -> dict:
    """What ``send_pending`` needs besides the session: the public links and the free-text rule."""
    with public_links() as links:
        return {"links": links, "include_text": bool(current_app.config.get("CITY_OPEN311_INCLUDE_TEXT", False))}


def _send_queue() -> None:
    """Send everything due now and flash what became of it."""
    report = send_pending(db.session, _client(), user_id=current_user.id, stale_after_seconds=_stale_after(),
                          **_sending())
    if report.sent:
        flash(_("%(n)s Anliegen an die Stadt gesendet.", n=len(report.sent)), "success")
    if report.failed:
        flash(_("%(n)s Anliegen konnten nicht gesendet werden; sie werden später erneut versucht.",
                n=len(report.failed)), "error")
    if report.uncertain:
        flash(_("Bei %(n)s Anliegen ist unklar, ob die Stadt sie erhalten hat: bitte unten klären.",
                n=len(report.uncertain)), "error")


def _page(errors=None, form=None, status=200):
    body = render_template(
        "open311/city.html", endpoints=city_endpoints.list_endpoints(db.session),
        rows=overview(db.session), errors=errors or {}, form=form or {},
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
        queued = queue_concerns(db.session, request.form.get("endpoint", type=int) or 0,
                                request.form.getlist("concern"))
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("city.index"))
    for concern_id, reason in queued.skipped.items():
        flash(_("Nicht gesendet (%(id)s): %(reason)s", id=concern_id[:8], reason=reason), "error")
    _send_queue()
    return redirect(url_for("city.index"))


@bp.post("/refresh")
@organiser_required
def refresh():
    report = refresh_statuses(db.session, _client(), user_id=current_user.id,
                              stale_after_seconds=_stale_after())
    flash(_("Status von %(n)s Anliegen abgerufen, %(resolved)s erledigt.",
            n=len(report.updated), resolved=len(report.resolved)), "success")
    for error in report.errors:
        flash(_("Die Stadt war nicht erreichbar: %(error)s", error=error), "error")
    if report.uncertain:
        flash(_("Bei %(n)s Anliegen ist unklar, ob die Stadt sie erhalten hat: bitte unten klären.",
                n=len(report.uncertain)), "error")
    return redirect(url_for("city.index"))


@bp.post("/submissions/<concern_id>/mark-sent")
@organiser_required
def mark_sent(concern_id):
    try:
        city_state.mark_sent(db.session, concern_id, request.form.get("service_request_id", ""),
                             user_id=current_user.id)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
    else:
        flash(_("Als gesendet vermerkt; das Anliegen ist an die Stadt übergeben."), "success")
    return redirect(url_for("city.index"))


@bp.post("/submissions/<concern_id>/send-again")
@organiser_required
def send_again(concern_id):
    try:
        city_state.send_again(db.session, concern_id, user_id=current_user.id)
    except DomainError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("city.index"))
    _send_queue()
    return redirect(url_for("city.index"))


def _edit_page(endpoint_id: int, errors=None, form=None, status=200):
    stored = city_endpoints.endpoint_form(db.session, endpoint_id)
    if form is not None:
        form = {"id": endpoint_id, "has_key": stored["has_key"], "name": form.get("name", ""),
                "base_url": form.get("base_url", ""), "jurisdiction_id": form.get("jurisdiction_id", ""),
                "service_map": form.get("service_map", ""), "active": bool(form.get("active"))}
    body = render_template("open311/city_endpoint.html", form=form or stored, errors=errors or {})
    return body, status, {"Cache-Control": "no-store"}


@bp.get("/endpoints/<int:endpoint_id>")
@organiser_required
def edit_endpoint(endpoint_id):
    try:
        return _edit_page(endpoint_id)
    except DomainError as err:
        return err.message, err.status


@bp.post("/endpoints/<int:endpoint_id>")
@organiser_required
def update_endpoint(endpoint_id):
    form = request.form
    try:
        city_endpoints.update_endpoint(
            db.session, endpoint_id, name=form.get("name", ""), base_url=form.get("base_url", ""),
            jurisdiction_id=form.get("jurisdiction_id"), api_key=form.get("api_key"),
            service_map=city_endpoints.parse_map(form.get("service_map", "")), active=bool(form.get("active")))
    except DomainError as err:
        db.session.rollback()
        if err.status == 404:
            return err.message, 404
        return _edit_page(endpoint_id, err.fields or {"name": err.message}, form, 422)
    flash(_("Der Endpunkt „%(name)s“ ist gespeichert.", name=form.get("name", "").strip()), "success")
    return redirect(url_for("city.index"))


@bp.post("/endpoints/<int:endpoint_id>/active")
@organiser_required
def toggle_endpoint(endpoint_id):
    active = request.form.get("active") == "1"
    try:
        city_endpoints.set_active(db.session, endpoint_id, active)
    except DomainError as err:
        return err.message, err.status
    flash(_("Der Endpunkt ist eingeschaltet.") if active else _("Der Endpunkt ist abgeschaltet."), "success")
    return redirect(url_for("city.index"))
