"""Request guards of the machine-facing routes, whichever blueprint serves them.

The JSON API (photos and review too), the vector tiles and Open311 refuse NUL and lone
surrogates in their parameters (422 naming them), and writes under ``/api/`` must declare
JSON (415): a cross-site page can POST a text/plain, form or multipart body without asking
(a form, a no-cors fetch), but never application/json. PUT and PATCH follow the same rule; a
DELETE carries no body and always needs a CORS preflight, which this app does not answer.
"""
from typing import Any

from flask import Flask, request
from flask_babel import gettext as _

from mapapp.errors import DomainError, ValidationFailed

GUARDED_PREFIXES = ("/api/", "/tiles/", "/open311/")
JSON_WRITE_METHODS = ("POST", "PUT", "PATCH")


class UnsupportedMediaType(DomainError):
    """A write whose body is not declared as JSON (415)."""

    status = 415
    code = "unsupported_media_type"


def is_json_media_type(mimetype: str) -> bool:
    """``application/json`` or a JSON-based ``application/…+json`` (merge-patch, geo…)."""
    kind, _slash, subtype = mimetype.lower().partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def require_json_media_type(mimetype: str) -> None:
    """Refuse a write that does not declare a JSON body (415 naming the Content-Type)."""
    if not is_json_media_type(mimetype):
        raise UnsupportedMediaType(_("Die Anfrage muss JSON senden (Content-Type: application/json)."),
                                   {"Content-Type": _("Erwartet: application/json.")})


def bad_characters_message() -> str:
    """What a field holding NUL or invalid Unicode is told."""
    return _("Enthält ungültige Zeichen (Nullzeichen oder ungültiges Unicode).")


def unstorable(text: str) -> bool:
    """PostgreSQL text refuses NUL, and UTF-8 (so the database) a lone surrogate like ``\\ud800``."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def contains_unstorable(value: Any) -> bool:
    """Whether a decoded JSON value holds a text the database cannot store (see ``unstorable``).

    Walks with a stack, not recursion: a deeply nested body must not overflow it.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and unstorable(item):
            return True
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def printable(name: str) -> str:
    """A parameter name fit to be named in an answer: invalid Unicode replaced, NULs dropped."""
    return name.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def refuse_bad_characters(*parameter_maps) -> None:
    """Raise ValidationFailed naming every parameter holding text the database cannot store.

    PostgreSQL refuses NUL in text, so such a value would otherwise fail deep in a query (a 500).
    """
    bad = {}
    for parameters in parameter_maps:
        for name, values in (parameters or {}).items():
            values = values if isinstance(values, list) else [values]
            if any(contains_unstorable(value) for value in values) or contains_unstorable(name):
                bad[printable(name)] = bad_characters_message()
    if bad:
        raise ValidationFailed(_("Einige Abfrageparameter sind nicht gültig."), bad)


def refuse_bad_characters_in_parameters():
    """Refuse NUL and lone surrogates in query, path and form parameters with a 422 naming them."""
    if request.path.startswith(GUARDED_PREFIXES):
        form = request.form.to_dict(flat=False)  # parsed only for form bodies (Open311 POST)
        refuse_bad_characters(request.args.to_dict(flat=False), request.view_args, form)


def require_json_writes():
    """Refuse a write under ``/api/`` whose Content-Type is not JSON (415), even with no body.

    Photo uploads are image bytes or multipart forms, so not JSON. They need the participant
    cookie of the finding's author, which SameSite=Lax keeps off cross-site requests.
    """
    if (request.method in JSON_WRITE_METHODS and request.path.startswith("/api/")
            and request.endpoint is not None and request.blueprint != "photos"):
        require_json_media_type(request.mimetype)


def init_app(app: Flask) -> None:
    """Run both guards on every request, after the host, CSRF and rate-limit checks."""
    app.before_request(refuse_bad_characters_in_parameters)
    app.before_request(require_json_writes)
