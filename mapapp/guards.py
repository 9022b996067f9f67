"""Request guards of the machine-facing routes, whichever blueprint serves them.

The JSON API (photos and review too), the vector tiles and Open311 refuse NUL and lone
surrogates in their parameters (422 naming them), and writes under ``/api/`` must declare
JSON (415): a cross-site page can POST a text/plain, form or multipart body without asking
(a form, a no-cors fetch), but never application/json. PUT and PATCH follow the same rule; a
DELETE carries no body and always needs a CORS preflight, which this app does not answer.
"""
from flask import Flask, request

from mapapp.api.schemas import refuse_bad_characters, require_json_media_type

GUARDED_PREFIXES = ("/api/", "/tiles/", "/open311/")
JSON_WRITE_METHODS = ("POST", "PUT", "PATCH")


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
