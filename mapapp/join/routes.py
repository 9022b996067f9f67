"""``/w/<join_code>``: join page, the walk's map, and the printable handout with its QR code."""
import uuid

from flask import redirect, render_template, url_for
from flask_babel import gettext as _

from mapapp.db import db, read_one
from mapapp.errors import NotFound
from mapapp.join import bp, join_url, known_participant, walk_client_config
from mapapp.join.forms import JoinForm
from mapapp.join.qr import qr_svg
from mapapp.walks.editing import walk_detail
from mapapp.findings.participants import current_participant_id, ensure_participant, issue_cookie


class UnknownWalk(Exception):
    """No walk has this join code: answered with an HTML 404 page."""


@bp.errorhandler(UnknownWalk)
def unknown_walk(_err):
    return render_template("join/not_found.html"), 404


def _walk(join_code: str) -> dict:
    try:
        return read_one(walk_detail, join_code)
    except NotFound:
        raise UnknownWalk() from None


@bp.route("/w/<join_code>", methods=["GET", "POST"])
def join_page(join_code):
    walk = _walk(join_code)
    form = JoinForm()
    if form.validate_on_submit():
        ensure_participant(db.session, uuid.UUID(walk["id"]), form.nickname.data)
        return redirect(url_for("join.walk_map", join_code=walk["join_code"]))
    returning = known_participant(db.session, current_participant_id())
    status = 422 if form.errors else 200
    return render_template("join/join.html", walk=walk, form=form, returning=returning), status


@bp.get("/w/<join_code>/map")
def walk_map(join_code):
    walk = _walk(join_code)
    issue_cookie()
    return render_template(["walk_map.html", "join/map_pending.html"], walk=walk,
                           client_config=walk_client_config(walk))


@bp.get("/w/<join_code>/handout")
def handout(join_code):
    walk = _walk(join_code)
    url = join_url(walk["join_code"])
    qr = qr_svg(url, _("QR-Code: %(url)s", url=url))
    return render_template("join/handout.html", walk=walk, join_url=url, qr=qr)
