"""``/login`` and ``/logout``."""
from urllib.parse import urlsplit

from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from mapapp.auth import SignedInUser, bp, users
from mapapp.auth.forms import LoginForm, LogoutForm
from mapapp.db import db


def _safe_next(target: str | None) -> str:
    """Follow ``next`` only to a path on this site (no open redirect)."""
    default = url_for("organiser.index")
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        account = users.authenticate(db.session, form.username.data, form.password.data)
        if account is not None:
            target = _safe_next(request.args.get("next"))
            session.clear()  # a fresh session on sign-in: nothing carried over from before
            login_user(SignedInUser(account))
            return redirect(target)
        error = _("Benutzername oder Passwort stimmt nicht.")
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
def logout():
    form = LogoutForm()
    if form.validate_on_submit():
        logout_user()
        session.clear()
    return redirect(url_for("auth.login"))
