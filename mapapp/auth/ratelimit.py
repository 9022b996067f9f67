"""Rate limits per remote address: the app's ``Limiter``, and sign-in attempts.

Flask-Limiter counts in memory by default (per process); set ``REDIS_URL`` (or
``RATELIMIT_STORAGE_URI``, which wins) to ``redis://…`` when several workers or servers serve
the app, so they share one budget. A shared store that cannot be reached fails open: the
request is served uncounted and Flask-Limiter logs the error (``RATELIMIT_SWALLOW_ERRORS``),
after at most ``REDIS_TIMEOUT_S`` per request. ``LOGIN_RATE_LIMIT``
is the limit on ``POST /login``; the participants' write budget is mapapp/security/write_limits.py,
counted by the same limiter. ``RATELIMIT_ENABLED`` switches limiting off (the
tests do, except where they test it; so can the benchmark). Behind a reverse proxy the
remote address is the proxy's unless ``PROXY_FIX`` is set (mapapp/security.py).

Each app gets its own ``Limiter`` (``app.extensions["limiter"]``): the extension keeps its
switch and storage on the instance, so one shared instance would let one app's settings
change another's.
"""
from flask import Flask, current_app, render_template
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

DEFAULT_LOGIN_RATE_LIMIT = "10 per minute; 50 per hour"
# A down Redis costs each request at most this long before it is served uncounted.
DEFAULT_REDIS_TIMEOUT_S = 0.5


def login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def too_many_attempts(_err):
    """The sign-in form's 429: a page saying to wait."""
    return render_template("auth/too_many_attempts.html"), 429


def init_app(app: Flask, login_endpoint: str = "auth.login") -> None:
    """Make the app's limiter; limit POSTs to ``login_endpoint`` (registered before this is called)."""
    app.config.setdefault("LOGIN_RATE_LIMIT", DEFAULT_LOGIN_RATE_LIMIT)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    if app.config["RATELIMIT_STORAGE_URI"].startswith(("redis://", "rediss://", "redis+unix://")):
        timeout = float(app.config.get("REDIS_TIMEOUT_S", DEFAULT_REDIS_TIMEOUT_S))
        app.config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                              {"socket_connect_timeout": timeout, "socket_timeout": timeout})
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # A shared store (redis) that is down must not turn every write into a 500: count nothing then.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter = Limiter(key_func=get_remote_address, app=app)
    app.extensions["limiter"] = limiter  # the limits keep only a weak reference to it
    view = app.view_functions[login_endpoint]
    app.view_functions[login_endpoint] = limiter.limit(login_rate_limit, methods=["POST"])(view)
