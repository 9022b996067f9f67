"""``/login``, ``/logout`` and ``/password`` (a signed-in user changes their own password)."""
import re
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from mapapp.auth import bp, start_session, users
from mapapp.auth.forms import PASSWORD_HINT, ChangePasswordForm, LoginForm, LogoutForm
from mapapp.db import db
from mapapp.errors import ValidationFailed

REVIEW_HOME = ("review.index", "review.clusters_page")  # the review's start page (``/review/``)
NEXT_MAX_LENGTH = 2000
# Control characters (CR/LF would split the Location header), any whitespace (browsers drop
# tabs and newlines from URLs, so "/\t/evil.example" would become "//evil.example") and
# backslashes (which browsers read as slashes).
_UNSAFE_IN_NEXT = re.compile(r"[\x00-\x20\x7f-\x9f\\\s]")


def _home(account: users.Account) -> str:
    """Where a sign-in without ``next`` leads: organisers to their pages, team members to the review."""
    if account.role == "organiser":
        return url_for("organiser.index")
    for endpoint in REVIEW_HOME:
        if endpoint in current_app.view_functions:
            return url_for(endpoint)
    return "/"


def _safe_next(target: str | None, default: str) -> str:
    """Follow ``next`` only to a path on this site (no open redirect, nothing that breaks the header)."""
    if not target or len(target) > NEXT_MAX_LENGTH or _UNSAFE_IN_NEXT.search(target):
        return default
    if not target.startswith("/") or target.startswith("//"):
        return default
    try:
        parts = urlsplit(target)
    except ValueError:
        return default
    if parts.scheme or parts.netloc:
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
            start_session(account)
            return redirect(target)
        error = _("Benutzername oder Passwort stimmt nicht.")
    return render_template("auth/login.html", form=form, error=error)


@bp.post("/logout")
def logout():
    """Sign out: ends this account's sessions everywhere (every cookie issued before stops working)."""
    form = LogoutForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            users.end_sessions(db.session, current_user.id)
        logout_user()
        session.clear()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password for the signed-in account: its other sessions end, this one goes on."""
    form = ChangePasswordForm(username=current_user.account.username)
    if form.validate_on_submit():
        if not users.check_password(db.session, current_user.id, form.current_password.data):
            form.current_password.errors = [_("Das bisherige Passwort stimmt nicht.")]
        else:
            try:
                account = users.set_password(db.session, current_user.id, form.new_password.data)
            except ValidationFailed as err:
                db.session.rollback()
                form.show_domain_errors(err)
            else:
                start_session(account)
                flash(_("Dein Passwort ist geändert. Auf anderen Geräten bist du jetzt abgemeldet."), "success")
                return redirect(url_for("auth.change_password"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form, password_hint=PASSWORD_HINT), status
