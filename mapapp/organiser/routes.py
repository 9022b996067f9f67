"""Thin routes: list walks, show the walk form, hand valid input to the domain functions."""
import uuid

from flask import abort, redirect, render_template, url_for
from flask_login import current_user

from mapapp.findings import categories
from mapapp.auth import organiser_required
from mapapp.db import db
from mapapp.errors import NotFound, ValidationFailed
from mapapp.join import join_url
from mapapp.organiser import bp
from mapapp.walks import queries, editing as walks
from mapapp.organiser.forms import WalkForm


def editor_config() -> dict:
    """What static/js/organiser/walk-editor.js needs: tiles and view (as on the map page), districts URL."""
    from mapapp.capture import client_config

    config = client_config()
    return {key: config[key] for key in ("tiles", "center", "zoom")} | {"districts": config["api"]["districts"]}


def _render_form(form: WalkForm, walk: dict | None, status: int = 200):
    return render_template(
        "organiser/walk_form.html", form=form, walk=walk, districts=form.district_groups,
        editor_config=editor_config(),
    ), status


def _form(walk: dict | None = None) -> WalkForm:
    form = WalkForm()
    form.set_choices(queries.district_options(db.session), categories.list_categories(db.session))
    if not form.is_submitted():
        if walk:
            form.fill_from(walk)
        else:
            form.categories.data = [slug for slug, _label in form.categories.choices]
    return form


def _save(form: WalkForm, walk: dict | None):
    """Validate and store; on success go back to the list, else show the form with its errors."""
    if form.validate_on_submit():
        try:
            if walk:
                walks.update_walk(db.session, uuid.UUID(walk["id"]), form.walk_data())
            else:
                walks.create_walk(db.session, form.walk_data(), current_user.id)
            return redirect(url_for("organiser.index"))
        except ValidationFailed as err:
            db.session.rollback()
            form.show_domain_errors(err)
    return _render_form(form, walk, 422 if form.is_submitted() else 200)


@bp.get("/")
@organiser_required
def index():
    rows = queries.organiser_walks(db.session)
    return render_template("organiser/index.html", walks=rows, join_url=join_url)


@bp.route("/walks/new", methods=["GET", "POST"])
@organiser_required
def new_walk():
    return _save(_form(), None)


@bp.route("/walks/<uuid:walk_id>/edit", methods=["GET", "POST"])
@organiser_required
def edit_walk(walk_id):
    try:
        walk = walks.walk_detail(db.session, walk_id)
    except NotFound:
        abort(404)
    return _save(_form(walk), walk)
