"""Sign-in: Flask-Login sessions, CSRF protection for forms, ``organiser_required``, ``team_required``.

CSRF tokens are checked on every unsafe request except the JSON API blueprints in
``CSRF_EXEMPT_BLUEPRINTS``: those take JSON bodies only (a cross-site HTML form cannot
send ``application/json`` without a CORS preflight, which we never allow) and the
participant cookie is ``SameSite=Lax``, so other sites' pages do not send it along.
"""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, Flask, abort, jsonify, render_template, request
from flask_babel import gettext as _, lazy_gettext
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from mapapp.auth import ratelimit
from mapapp.auth.users import Account

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()

CSRF_EXEMPT_BLUEPRINTS = frozenset({"api", "photos", "open311"})  # open311: API-key authenticated


class SignedInUser(UserMixin):
    """What Flask-Login keeps as ``current_user``: an :class:`Account` and its login state."""

    def __init__(self, account: Account):
        self.account = account
        self.id = account.id

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


@login_manager.user_loader
def load_user(user_id: str) -> SignedInUser | None:
    from mapapp.auth import users
    from mapapp.db import db

    try:
        account = users.get_user(db.session, int(user_id))
    except ValueError:
        return None
    return SignedInUser(account) if account else None


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


def init_app(app: Flask) -> None:
    """Configure cookies, sign-in and CSRF; register the login/logout pages."""
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

    app.register_blueprint(bp)
    ratelimit.init_app(app)


from mapapp.auth import routes  # noqa: E402,F401  (routes attach themselves to bp)
