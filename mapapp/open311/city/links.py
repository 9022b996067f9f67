"""The public links the city gets with a concern: its photo and its public record (Flask side).

:mod:`mapapp.open311.city.sending` stays Flask-free and takes a :class:`~mapapp.open311.city.sending.PublicLinks`;
this module builds one with :mod:`mapapp.public_urls`. There is no public page of a single
concern yet, so the link back is the concern's public GeoReport record
(``/open311/v2/requests/<id>.json``: status, public message, place, photo), and the
description says so.

On the command line there is no request: the links need ``PUBLIC_BASE_URL`` then, and
without it none are sent (:func:`public_links` returns None).
"""
from __future__ import annotations

from contextlib import contextmanager

from flask import current_app, has_request_context

from mapapp.open311.city.sending import PublicLinks
from mapapp.public_urls import public_url


def _links() -> PublicLinks:
    return PublicLinks(
        photo=lambda stored_sha256: public_url("photos.photo_file", stored_sha256=stored_sha256, kind="web"),
        concern=lambda concern_id: public_url("open311.request_detail", request_id=concern_id, fmt="json"),
        concern_is_page=False,
    )


@contextmanager
def public_links():
    """Yield the links for this request, or under ``PUBLIC_BASE_URL`` outside one; None when neither."""
    if has_request_context():
        yield _links()
        return
    base = (current_app.config.get("PUBLIC_BASE_URL") or "").strip()
    if not base:
        yield None
        return
    with current_app.test_request_context("/"):  # for url_for only: public_url starts with the base
        yield _links()
