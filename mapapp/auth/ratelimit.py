"""Slowing down password guessing: a limit on sign-in attempts per remote address.

Flask-Limiter counts in memory by default (per process); set ``RATELIMIT_STORAGE_URI``
(e.g. ``redis://…``) when several workers serve the app. ``LOGIN_RATE_LIMIT`` is the
limit on ``POST /login``, ``RATELIMIT_ENABLED`` switches limiting off (the tests do,
except where they test it). Behind a reverse proxy the remote address is the proxy's
unless the app is wrapped in werkzeug's ``ProxyFix``.

Each app gets its own ``Limiter``: the extension keeps its switch and storage on the
instance, so one shared instance would let one app's settings change another's.
"""
from flask import Flask, current_app, jsonify, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

DEFAULT_LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def init_app(app: Flask, login_endpoint: str = "auth.login") -> None:
    """Limit POSTs to ``login_endpoint`` (registered before this is called); 429 page when exceeded."""
    app.config.setdefault("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["login_limiter"] = limiter  # the limit keeps only a weak reference to it
    view = app.view_functions[login_endpoint]
    app.view_functions[login_endpoint] = limiter.limit(login_rate_limit, methods=["POST"])(view)

    @app.errorhandler(429)
    def too_many_attempts(err):
        if request.path.startswith("/api/"):
            return jsonify({"error": "too_many_requests", "message": err.description}), 429
        return render_template("auth/too_many_attempts.html"), 429
