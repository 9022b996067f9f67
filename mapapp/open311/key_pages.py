"""The organiser page ``/organiser/api-keys``: issue (key shown once) and revoke Open311 keys."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from mapapp.auth import organiser_required
from mapapp.db import db
from mapapp.errors import NotFound, ValidationFailed
from mapapp.open311 import apikeys, keys_bp


@keys_bp.route("/", methods=["GET", "POST"])
@organiser_required
def index():
    new_key, error, status = None, None, 200
    if request.method == "POST":
        try:
            info, new_key = apikeys.create_key(db.session, request.form.get("name", ""), current_user.id)
        except ValidationFailed as err:
            db.session.rollback()
            error, status = err.fields.get("name", err.message), 422
        else:
            flash(_("Der Schlüssel „%(name)s“ ist angelegt.", name=info.name), "success")
    response = render_template("open311/api_keys.html", keys=apikeys.list_keys(db.session),
                               new_key=new_key, error=error)
    return response, status, {"Cache-Control": "no-store"}


@keys_bp.post("/<int:key_id>/revoke")
@organiser_required
def revoke(key_id: int):
    try:
        info = apikeys.revoke_key(db.session, key_id)
    except NotFound:
        return redirect(url_for("open311_keys.index"))
    flash(_("Der Schlüssel „%(name)s“ ist widerrufen.", name=info.name), "success")
    return redirect(url_for("open311_keys.index"))
