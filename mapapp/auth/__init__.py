"""Sign-in: Flask-Login sessions, CSRF protection for forms, ``organiser_required``, ``team_required``.

A signed-in session (Flask's signed cookie) holds ``"<user id>:<session version>"`` and two
times: when the account signed in and when it was last seen. Every request that asks for the
user checks them against the database and the clock (``load_user``): a raised
``users.session_version`` (logout, a new password, locking the account) ends every earlier
session of that account at once, on every device; ``SESSION_IDLE_MINUTES`` without a request
or ``SESSION_MAX_HOURS`` after signing in end one session. Such a visitor counts as signed
out: pages send them to the login page, ``/api/`` answers 401. There are no remember-me
cookies. Responses to a signed-in visitor (and the sign-in forms) are never stored by
browsers or proxies (``Cache-Control: no-store``), except the content-versioned assets and
photos, which are the same for everyone.

CSRF tokens are checked on every unsafe request except the JSON API blueprints in
``CSRF_EXEMPT_BLUEPRINTS``: those take JSON bodies only (a cross-site HTML form cannot
send ``application/json`` without a CORS preflight, which we never allow) and the
participant cookie is ``SameSite=Lax``, so other sites' pages do not send it along.
"""
from __future__ import annotations

import time
from functools import wraps

from flask import Blueprint, Flask, abort, current_app, jsonify, render_template, request, session
from flask_babel import gettext as _, lazy_gettext
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from mapapp.assets import ASSET_ENDPOINTS
from mapapp.auth import ratelimit
from mapapp.auth.users import Account

bp = Blueprint("auth", __name__)
bp.register_error_handler(429, ratelimit.too_many_attempts)
login_manager = LoginManager()
csrf = CSRFProtect()

CSRF_EXEMPT_BLUEPRINTS = frozenset({"api", "photos", "open311"})  # open311: API-key authenticated

SIGNED_IN_AT, SEEN_AT = "_signed_in_at", "_seen_at"  # seconds since the epoch, in the session
SEEN_AT_RESOLUTION = 60  # seconds: a busy session's cookie is rewritten at most once a minute
# Flask-Login's keys of a signed-in session, and ours; all go at sign-out or expiry.
SESSION_KEYS = ("_user_id", "_fresh", "_id", "_remember_seconds", SIGNED_IN_AT, SEEN_AT)
# The same bytes for everyone (content-versioned assets, content-addressed photos): cacheable.
SHARED_ENDPOINTS = frozenset({*ASSET_ENDPOINTS, "photos.photo_file"})
# The forms that take a password: never stored, signed in or not.
PASSWORD_FORMS = frozenset({"auth.login", "auth.change_password"})


def now() -> float:
    """The clock of the session lifetimes (tests move it by editing the session's times)."""
    return time.time()


class SignedInUser(UserMixin):
    """What Flask-Login keeps as ``current_user``: an :class:`Account` and its login state."""

    def __init__(self, account: Account):
        self.account = account
        self.id = account.id

    def get_id(self) -> str:
        """What the session keeps: the account and its session version (see the module doc)."""
        return f"{self.account.id}:{self.account.session_version}"

    @property
    def is_active(self) -> bool:
        return self.account.active

    @property
    def is_organiser(self) -> bool:
        return self.account.role == "organiser"

    @property
    def is_team_member(self) -> bool:
        return self.account.role == "team_member"

    @property
    def name(self) -> str:
        return self.account.name


def start_session(account: Account) -> None:
    """Sign ``account`` in on a fresh session (nothing carried over from before)."""
    from flask_login import login_user

    session.clear()
    login_user(SignedInUser(account))
    session[SIGNED_IN_AT] = session[SEEN_AT] = int(now())


def end_session() -> None:
    """Drop the sign-in from this session (the cookie; the account's other sessions stay)."""
    for key in SESSION_KEYS:
        session.pop(key, None)


def session_expired(config) -> bool:
    """Whether this session is past its idle or absolute lifetime (or has no times at all)."""
    signed_in_at, seen_at = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return True
    moment = now()
    return (moment - seen_at > float(config["SESSION_IDLE_MINUTES"]) * 60
            or moment - signed_in_at > float(config["SESSION_MAX_HOURS"]) * 3600)


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    """The signed-in user of this request, or None when the session has ended (see the module doc)."""
    from mapapp.auth import users
    from mapapp.db import db

    account_id, _, version = (user_id or "").partition(":")
    if not (account_id.isdigit() and version.isdigit()) or session_expired(current_app.config):
        end_session()
        return None
    account = users.get_user(db.session, int(account_id))
    if account is None or account.session_version != int(version):
        end_session()
        return None
    if now() - session[SEEN_AT] >= SEEN_AT_RESOLUTION:
        session[SEEN_AT] = int(now())
    return SignedInUser(account)


def organiser_required(view):
    """Let signed-in organisers through; send anyone else to the login page (403 for other roles)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_organiser:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def team_required(view):
    """Let signed-in organisers and team members through (the review pages and their JSON).

    Anyone not signed in goes to the login page, or gets a 401 on ``/api/`` (a script
    cannot follow a redirect to a form); other roles get 403.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            if request.path.startswith("/api/"):
                abort(401)
            return login_manager.unauthorized()
        if not (current_user.is_organiser or current_user.is_team_member):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _csrf_exempt() -> bool:
    return bool(request.blueprint) and bool(set(request.blueprint.split(".")) & CSRF_EXEMPT_BLUEPRINTS)


def _no_store(response):
    """Keep responses to signed-in visitors, and the password forms, out of every cache."""
    if request.endpoint in SHARED_ENDPOINTS:
        return response
    if "_user_id" in session or request.endpoint in PASSWORD_FORMS:
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("Expires", None)
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    """Configure cookies, sign-in, session lifetimes and CSRF (``create_app`` registers ``bp``)."""
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("REMEMBER_COOKIE_SECURE", app.config.get("SESSION_COOKIE_SECURE", False))
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    # Checked by our own hook below, so the JSON API blueprints can be left out by name.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    # Tokens live as long as the session: a join page left open on a phone still works.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Bitte melde dich an, um diese Seite zu sehen.")
    login_manager.login_message_category = "info"
    app.after_request(_no_store)

    @app.before_request
    def check_csrf():
        if app.config.get("WTF_CSRF_ENABLED", True) and not _csrf_exempt():
            csrf.protect(apply_exemptions=True)

    @app.errorhandler(CSRFError)
    def csrf_failed(_err):
        if request.path.startswith("/api/"):
            message = _("Die Sicherheitsprüfung ist fehlgeschlagen. Bitte die Seite neu laden.")
            return jsonify(error="csrf_failed", message=message), 400
        return render_template("auth/csrf_error.html"), 400


from mapapp.auth import routes  # noqa: E402,F401  (routes attach themselves to bp)
