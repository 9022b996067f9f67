"""The follow link's pages: make or replace it (``/me/follow-link``), show it (``/f/<token>``), take it over.

Without a script everything works: the forms post with a CSRF token and the pages are rendered
here. The link's own page shows the findings of the participant it stands for; to the
participant themselves (their cookie) it also shows the link to copy, share or scan, and to
anyone else "Auf diesem Gerät übernehmen", which gives this browser that participant's cookie.
"""
from flask import abort, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from mapapp.db import db
from mapapp.findings.participants import adopt_participant, current_participant_id
from mapapp.follow import bp
from mapapp.follow.links import has_link, make_link, own_finding_count, owns_photo, participant_for
from mapapp.follow.updates import followed_findings
from mapapp.join.qr import qr_svg
from mapapp.photos.storage import current_storage, file_source, served_key
from mapapp.public_urls import public_url
from mapapp.statuses import status_labels


class ButtonForm(FlaskForm):
    """A form that is only a button: its CSRF token and nothing else."""


class UnknownLink(Exception):
    """No participant has this follow link (never had, or it was replaced): an HTML 404 page."""


@bp.errorhandler(UnknownLink)
def unknown_link(_err):
    return render_template("follow/not_found.html"), 404


def _owner(token: str):
    participant_id = participant_for(db.session, token)
    if participant_id is None:
        raise UnknownLink()
    return participant_id


@bp.route("/me/follow-link", methods=["GET", "POST"])
def link_page():
    """Explain the link and make it; a new one replaces the old. Shown only once: then its page."""
    participant_id = current_participant_id()
    form = ButtonForm()
    if participant_id is not None and form.validate_on_submit():
        token = make_link(db.session, participant_id)
        return redirect(url_for("follow.follow_page", token=token), 303)
    return render_template("follow/link.html", form=form, has_participant=participant_id is not None,
                           has_link=has_link(db.session, participant_id),
                           finding_count=own_finding_count(db.session, participant_id))


@bp.get("/f/<token>")
def follow_page(token):
    owner = _owner(token)
    viewer = current_participant_id()
    is_owner = viewer == owner
    url = public_url("follow.follow_page", token=token)
    labels = status_labels()
    return render_template(
        "follow/follow.html", token=token, is_owner=is_owner, follow_url=url, labels=labels,
        qr=qr_svg(url, _("QR-Code des Links zum Weiterverfolgen")) if is_owner else None,
        findings=followed_findings(db.session, owner, labels),
        others_here=not is_owner and own_finding_count(db.session, viewer) > 0,
        form=ButtonForm(),
    )


@bp.post("/f/<token>/take-over")
def take_over(token):
    """Make this browser the link's participant, so "Meine Funde" and editing work here too."""
    owner = _owner(token)
    if ButtonForm().validate_on_submit():
        adopt_participant(owner)
    return redirect(url_for("follow.follow_page", token=token), 303)


@bp.get("/f/<token>/photos/<stored_sha256>/<kind>.jpg")
def photo(token, stored_sha256, kind):
    """A photo of the link's findings, whatever its moderation state: it is the participant's own.

    The map's photo URLs (``/photos/…``) serve a photo that waits for moderation only to its
    sender's cookie, which another phone does not have before taking the link over.
    """
    owner = _owner(token)
    key, store = served_key(stored_sha256, kind), current_storage()
    if key is None or not owns_photo(db.session, owner, stored_sha256) or not store.exists(key):
        abort(404)
    return send_file(file_source(store, key), mimetype="image/jpeg", max_age=0)
