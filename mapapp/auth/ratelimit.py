"""Rate limits per remote address: sign-in attempts, and participants' writes to the API.

Flask-Limiter counts in memory by default (per process); set ``REDIS_URL`` (or
``RATELIMIT_STORAGE_URI``, which wins) to ``redis://…`` when several workers or servers serve
the app, so they share one budget. A shared store that cannot be reached fails open: the
request is served uncounted and Flask-Limiter logs the error (``RATELIMIT_SWALLOW_ERRORS``),
after at most ``REDIS_TIMEOUT_S`` per request. ``LOGIN_RATE_LIMIT``
is the limit on ``POST /login``; ``WRITE_RATE_LIMIT`` is one budget shared by every write
(POST/PUT/PATCH/DELETE) of the participant API (findings, +1s), photo uploads and Open311
submissions; reads are never limited. ``RATELIMIT_ENABLED`` switches limiting off (the
tests do, except where they test it; so can the benchmark). Behind a reverse proxy the
remote address is the proxy's unless ``PROXY_FIX`` is set (mapapp/security.py).

The limits are checked before the view runs, so a refused write stores nothing.
Each app gets its own ``Limiter``: the extension keeps its switch and storage on the
instance, so one shared instance would let one app's settings change another's.
"""
from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

DEFAULT_LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
# A group walk shares one mobile-network address; its outboxes flush together when the
# network returns. 600 a minute lets 30 phones send 20 findings or photos each at once.
DEFAULT_WRITE_RATE_LIMIT = "600 per minute"
# A down Redis costs each request at most this long before it is served uncounted.
DEFAULT_REDIS_TIMEOUT_S = 0.5
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]
WRITE_BLUEPRINTS = ("api", "photos", "open311")


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def write_rate_limit() -> str:
    return current_app.config["WRITE_RATE_LIMIT"]


def limit_writes(app: Flask, limiter: Limiter) -> None:
    """One shared write budget per address over the participant-facing write blueprints.

    Blueprint limits are looked up by the blueprint's name at request time, so this works
    whether or not the blueprints are registered yet.
    """
    from mapapp.api import bp as api_bp
    from mapapp.open311 import bp as open311_bp
    from mapapp.photos import bp as photos_bp

    blueprints = {bp.name: bp for bp in (api_bp, photos_bp, open311_bp)}
    for name in WRITE_BLUEPRINTS:
        limiter.shared_limit(write_rate_limit, scope="write", methods=WRITE_METHODS)(blueprints[name])


def _too_many(err):
    """429: JSON on the API, the GeoReport error list on Open311, a page elsewhere (sign-in)."""
    message = _("Zu viele Anfragen von diesem Anschluss. Bitte gleich noch einmal senden.")
    if request.blueprint == "open311":
        from mapapp.open311.routes import error_answer

        return error_answer(429, message)
    if request.blueprint in WRITE_BLUEPRINTS or request.path.startswith("/api/"):
        return jsonify({"error": "rate_limited", "message": message}), 429
    return render_template("auth/too_many_attempts.html"), 429


def init_app(app: Flask, login_endpoint: str = "auth.login") -> None:
    """Limit POSTs to ``login_endpoint`` (registered before this is called) and API writes."""
    app.config.setdefault("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT)
    app.config.setdefault("WRITE_RATE_LIMIT", DEFAULT_WRITE_RATE_LIMIT)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://", "redis+unix://")):
        timeout = float(app.config.get("REDIS_TIMEOUT_S", DEFAULT_REDIS_TIMEOUT_S))
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                              {"socket_connect_timeout": timeout, "socket_timeout": timeout})
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # A shared store (redis) that is down must not turn every write into a 500: count nothing then.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["login_limiter"] = limiter  # the limit keeps only a weak reference to it
    view = app.view_functions[login_endpoint]
    app.view_functions[login_endpoint] = limiter.limit(login_rate_limit, methods=["POST"])(view)
    limit_writes(app, limiter)
    app.register_error_handler(429, _too_many)
