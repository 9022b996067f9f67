"""Security headers (a strict Content-Security-Policy without inline script, and friends), the
host names the app answers to, and the proxy set-up that makes ``request.is_secure`` and
``request.remote_addr`` true behind one.

``TRUSTED_HOSTS`` (Flask's setting; ``MAPAPP_TRUSTED_HOSTS`` as a JSON list such as
``'["mapapp.example", ".lan"]'``, a leading dot admits subdomains) are the host names a request's
``Host`` (or, behind ``PROXY_FIX``, ``X-Forwarded-Host``) may name; any other gets a 400 before a
view runs, so no link or QR code is ever built from a forged host. Unset, it is the host of
``PUBLIC_BASE_URL`` plus the loopback names (for health checks on the machine), or only the
loopback names when ``PUBLIC_BASE_URL`` is unset too (``make run``). ``[]`` admits any host.

``PROXY_FIX`` (``MAPAPP_PROXY_FIX``) is the number of trusted reverse proxies in front of the
app (0: none). With n > 0 werkzeug's ``ProxyFix`` takes the client's address, scheme and host
from the last n ``X-Forwarded-For``/``-Proto``/``-Host`` entries, so the rate limits count
clients rather than the proxy, and HSTS is sent when the client spoke HTTPS to the proxy.
Never set it higher than the number of proxies: a client could then forge its address.
"""
import json
from urllib.parse import urlsplit

from flask import Flask, Response, request
from flask_babel import gettext as _
from markupsafe import escape
from werkzeug.exceptions import SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import WSGIRequestHandler

HSTS = "max-age=31536000; includeSubDomains"
# The capture page needs the position (GPS pin); photos come from <input capture>, which opens
# the phone's camera app, but the camera stays allowed for our own origin for in-page capture.
PERMISSIONS_POLICY = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()"
# werkzeug (3.1) cannot match IPv6 addresses against its list, so "[::1]" is listed for later.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
SERVER_NAME = "mapapp"  # the Server header of the development server: no versions


class RequestHandler(WSGIRequestHandler):
    """werkzeug's request handler without its version and Python's in the ``Server`` header
    (``mapapp run`` and the tests' live servers use it; gunicorn sends just "gunicorn")."""

    def version_string(self) -> str:
        return SERVER_NAME


def trusted_hosts(config) -> list[str]:
    """``TRUSTED_HOSTS`` as configured, else the host of ``PUBLIC_BASE_URL`` and the loopback names."""
    configured = config.get("TRUSTED_HOSTS")
    if isinstance(configured, str):  # MAPAPP_TRUSTED_HOSTS=a.example,b.example (not JSON)
        configured = [name.strip() for name in configured.split(",") if name.strip()]
    if configured is not None:
        return [str(name).strip().lower() for name in configured]
    hosts = list(LOOPBACK_HOSTS)
    public_host = urlsplit((config.get("PUBLIC_BASE_URL") or "").strip()).hostname
    if public_host and public_host not in hosts:
        hosts.insert(0, public_host)
    return hosts


def _untrusted_host() -> Response:
    """400 for a request naming a host the app does not serve: JSON on ``/api/``, a short page
    elsewhere (no template: without a trusted host no URL can be built)."""
    message = _("Unter dieser Adresse ist die Anwendung nicht eingerichtet.")
    hint = _("Wer sie betreibt, kann die Adresse mit MAPAPP_TRUSTED_HOSTS oder MAPAPP_PUBLIC_BASE_URL "
             "freigeben.")
    if request.path.startswith("/api/"):
        body = json.dumps({"error": "untrusted_host", "message": message}, ensure_ascii=False)
        return Response(body, 400, content_type="application/json")
    page = (f'<!doctype html>\n<html lang="de"><meta charset="utf-8"><title>400</title>'
            f"<h1>{escape(message)}</h1><p>{escape(hint)}</p></html>\n")
    return Response(page, 400, content_type="text/html; charset=utf-8")


def tile_origin(tile_url: str) -> str:
    """The tile host as a CSP source with a leading space (``" https://*.tile.example"``); empty
    for no tiles or tiles on this app's own origin."""
    parts = urlsplit(tile_url.replace("{s}", "a"))
    if not parts.netloc:
        return ""
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
    return f" {parts.scheme}://{host}"


def content_security_policy(tile_url: str, frame_ancestors: list[str] | None = None) -> str:
    """Return the CSP for our pages; map tiles may come from the configured tile host.

    No site may frame a page unless ``frame_ancestors`` names it (the results widget's configured
    origins). Every directive carries a value: the dashboard map rewrites this policy directive
    by directive (mapapp/review/dashboard/choropleth.py).
    """
    ancestors = " ".join(frame_ancestors or []) or "'none'"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: blob:{tile_origin(tile_url)}",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        f"frame-ancestors {ancestors}",
        "form-action 'self'",
    ])


def trust_proxies(app: Flask) -> None:
    """Wrap the WSGI app in ``ProxyFix`` for ``PROXY_FIX`` trusted proxies (none by default)."""
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_app(app: Flask) -> None:
    app.config.setdefault("PROXY_FIX", 0)
    app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config)
    trust_proxies(app)
    policy = content_security_policy(app.config.get("TILE_URL") or "")

    def refuse_untrusted_host():
        if isinstance(request.routing_exception, SecurityError):
            return _untrusted_host()
        return None

    # First of all before_request hooks: nothing else runs for a host we do not serve.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_untrusted_host)

    @app.after_request
    def add_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", HSTS)
        return response
