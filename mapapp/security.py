"""Security headers (a strict Content-Security-Policy without inline script, and friends) and
the proxy set-up that makes ``request.is_secure`` and ``request.remote_addr`` true behind one.

``PROXY_FIX`` (``MAPAPP_PROXY_FIX``) is the number of trusted reverse proxies in front of the
app (0: none). With n > 0 werkzeug's ``ProxyFix`` takes the client's address, scheme and host
from the last n ``X-Forwarded-For``/``-Proto``/``-Host`` entries, so the rate limits count
clients rather than the proxy, and HSTS is sent when the client spoke HTTPS to the proxy.
Never set it higher than the number of proxies: a client could then forge its address.
"""
from urllib.parse import urlsplit

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

HSTS = "max-age=31536000; includeSubDomains"
# The capture page needs the position (GPS pin); photos come from <input capture>, which opens
# the phone's camera app, but the camera stays allowed for our own origin for in-page capture.
PERMISSIONS_POLICY = "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()"


def content_security_policy(tile_url: str) -> str:
    """Return the CSP for our pages; map tiles may come from the configured tile host.

    Every directive carries a value: the dashboard map rewrites this policy directive by
    directive (mapapp/review/dashboard_map.py).
    """
    tile_origin = ""
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        host = parts.netloc.replace("a.", "*.", 1) if "{s}" in tile_url else parts.netloc
        tile_origin = f" {parts.scheme}://{host}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: blob:{tile_origin}",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ])


def trust_proxies(app: Flask) -> None:
    """Wrap the WSGI app in ``ProxyFix`` for ``PROXY_FIX`` trusted proxies (none by default)."""
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_app(app: Flask) -> None:
    app.config.setdefault("PROXY_FIX", 0)
    trust_proxies(app)
    policy = content_security_policy(app.config.get("TILE_URL") or "")

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
