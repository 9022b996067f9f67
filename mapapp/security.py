"""Security headers: a strict Content-Security-Policy (no inline script) and friends."""
from urllib.parse import urlsplit

from flask import Flask


def content_security_policy(tile_url: str) -> str:
    """Return the CSP for our pages; map tiles may come from the configured tile host."""
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


def init_app(app: Flask) -> None:
    policy = content_security_policy(app.config.get("TILE_URL") or "")

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response
