"""``/login`` and ``/logout``."""
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from mapapp.auth import SignedInUser, bp, users
from mapapp.auth.forms import LoginForm, LogoutForm
from mapapp.db import db

REVIEW_HOME = ("review.index", "review.clusters_page")  # the review's start page (``/review/``)


def _home(account: users.Account) -> str:
    """Where a sign-in without ``next`` leads: organisers to their pages, team members to the review."""
    if account.role == "organiser":
        return url_for("organiser.index")
    for endpoint in REVIEW_HOME:
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return "/"


def _safe_next(target: str | None, default: str) -> str:
    """Follow ``next`` only to a path on this site (no open redirect)."""
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
            target = _safe_next(request.args.get("next"), _home(account))
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
