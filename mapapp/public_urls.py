"""Absolute URLs that leave the app: join links and QR codes, Open311 discovery and ``media_url``.

``PUBLIC_BASE_URL`` (``MAPAPP_PUBLIC_BASE_URL``, e.g. ``https://mitmachen.example.org``) is the
URL of the app's root as the public reaches it; when set, every absolute URL starts with it,
whatever the request's ``Host`` says. Unset, the request's own root URL is used: its host has
then passed ``TRUSTED_HOSTS`` (mapapp/security.py), so a forged ``Host`` header gets a 400
before any link is built, never a link to another site.
"""
from flask import current_app, has_request_context, request, url_for


def public_root() -> str:
    """The app's public root URL, without a trailing slash."""
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    if base:
        return base
    return request.url_root.rstrip("/")


def public_url(endpoint: str, **values) -> str:
    """The absolute public URL of ``endpoint`` (what ``url_for(..., _external=True)`` would be)."""
    path = url_for(endpoint, **values)
    script_root = request.script_root if has_request_context() else ""
    if script_root and path.startswith(script_root):
        path = path[len(script_root):]
    return public_root() + path
