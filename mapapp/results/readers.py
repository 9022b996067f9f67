"""What the public results pages send their readers: no cookies, short caching, and framing by
the configured origins for the embeddable widget only.

``EMBED_ORIGINS`` (``MAPAPP_EMBED_ORIGINS``, space-separated, e.g.
``"https://buergerplattform.example https://www.buergerplattform.example"``) lists the sites
that may show the widget (``/w/<code>/results/embed``) in a frame; it goes into the widget's
``frame-ancestors`` only (:func:`mapapp.security.content_security_policy`). Every other page keeps
``frame-ancestors 'none'``. An entry that is not a plain origin (scheme, host, optional port) is
ignored, so a typo can neither open the widget to everyone nor break the policy.
"""
from __future__ import annotations

import logging
import re

from flask import Response

log = logging.getLogger(__name__)

ORIGIN = re.compile(r"https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?")
READER_CACHE = "public, max-age=60"


class ReaderResponse(Response):
    """A response to a reader of the public pages: it sets no cookie, whichever hook asks.

    The language chosen with ``?lang=`` is then not remembered (the pages' links carry it on),
    a session is neither started nor refreshed, and no participant cookie is issued.
    """

    def set_cookie(self, *args, **kwargs) -> None:
        return None


def reader_response(body, status: int = 200, content_type: str = "text/html; charset=utf-8",
                    preview: bool = False) -> ReaderResponse:
    """``body`` for a reader; an organiser's preview of unpublished results is never cached."""
    response = ReaderResponse(body, status, content_type=content_type)
    response.headers["Cache-Control"] = "private, no-store" if preview else READER_CACHE
    return response


def embed_origins(configured) -> list[str]:
    """The configured embedding origins that are plain origins (a list or a space-separated text)."""
    raw = configured.split() if isinstance(configured, str) else list(configured or [])
    origins = []
    for value in raw:
        origin = str(value).strip().rstrip("/")
        if ORIGIN.fullmatch(origin):
            origins.append(origin)
        elif origin:
            log.warning("EMBED_ORIGINS: %r is not an origin (scheme://host[:port]); ignored", origin)
    return origins
