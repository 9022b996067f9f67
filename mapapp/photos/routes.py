"""Thin routes for photos of findings: upload (raw PUT or multipart POST), list, delete, serve.

The app-wide body limit (``MAX_CONTENT_LENGTH``) stays small for JSON; the upload views get
their own, larger one (``upload_body_limit``) before anything reads the body.
"""
import re
from urllib.parse import unquote

from flask import abort, current_app, jsonify, redirect, request, send_file, url_for
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from mapapp.db import db
from mapapp.errors import ValidationFailed
from mapapp.findings.participants import current_participant_id
from mapapp.moderation import settings as moderation_settings
from mapapp.moderation.access import PUBLIC, photo_file_access
from mapapp.photos import bp, service
from mapapp.photos.processing import MB, PhotoRefused, megabytes, too_large
from mapapp.photos.storage import current_storage, file_source, served_key

SHA256 = re.compile(r"[0-9a-fA-F]{64}")
MULTIPART_SLACK = MB  # multipart framing and headers around the files
ONE_YEAR = 365 * 24 * 3600
HIDE_WITHIN = 3600  # seconds a shared cache may keep a public photo while moderation is on
PUT_ENDPOINT, POST_ENDPOINT = "photos.put_photo", "photos.post_photos"


def limits() -> service.Limits:
    config, default = current_app.config, service.Limits()
    return service.Limits(
        max_bytes=config.get("PHOTO_MAX_BYTES", default.max_bytes),
        max_pixels=config.get("PHOTO_MAX_PIXELS", default.max_pixels),
        per_finding=config.get("PHOTOS_PER_FINDING", default.per_finding),
    )


def keep_originals() -> bool:
    """Whether to keep each photo's unblurred original (``KEEP_UNBLURRED_ORIGINALS``)."""
    return bool(current_app.config.get("KEEP_UNBLURRED_ORIGINALS"))


def body_limit(endpoint: str | None) -> int | None:
    """The most bytes a request to ``endpoint`` may send; None for the app-wide limit.

    PUT carries one photo; a multipart POST a finding's worth of photos plus room for the
    multipart framing.
    """
    lim = limits()
    if endpoint == PUT_ENDPOINT:
        return lim.max_bytes
    if endpoint == POST_ENDPOINT:
        return lim.max_bytes * lim.per_finding + MULTIPART_SLACK
    return None


@bp.url_value_preprocessor
def upload_body_limit(endpoint, _values) -> None:
    """Give the upload views their body limit before any hook can touch the body.

    Werkzeug fixes a request's limit when its body stream is first opened, and app-wide
    ``before_request`` hooks open it (the API's parameter check reads ``request.form``; CSRF
    reads form tokens). Raised inside the view, the limit would come too late and every photo
    over ``MAX_CONTENT_LENGTH`` (2 MB) be refused with 413. URL value preprocessors run before
    all ``before_request`` hooks, the app's included.
    """
    limit = body_limit(endpoint)
    if limit is not None:
        request.max_content_length = limit


@bp.errorhandler(RequestEntityTooLarge)
def body_too_large(_err):
    """413 naming the field: one photo over PHOTO_MAX_BYTES, or a multipart body over all of them."""
    lim = limits()
    if request.endpoint == POST_ENDPOINT:
        why = f"are too large together (at most {lim.per_finding} photos of {megabytes(lim.max_bytes)} each)"
        message = f"The photos {why}."
    else:
        why = too_large(lim.max_bytes)
        message = f"The photo {why}."
    return jsonify(error="too_large", message=message, fields={"photo": why}), 413


@bp.put("/api/findings/<uuid:finding_id>/photos/<sha256>")
def put_photo(finding_id, sha256):
    """Store the body as a photo named by the sha256 of its bytes; 201 new, 200 already there."""
    if not SHA256.fullmatch(sha256):
        raise ValidationFailed("The URL must end in the photo's sha256.",
                               {"sha256": "must be 64 hexadecimal characters"})
    mimetype = request.mimetype
    if mimetype and not (mimetype.startswith("image/") or mimetype == "application/octet-stream"):
        raise UnsupportedMediaType("Send the photo itself as the body (image/* or application/octet-stream).")
    service.require_owner(db.session, finding_id, current_participant_id())
    lim = limits()
    filename = unquote(request.headers.get("X-Filename", ""), errors="replace") or "photo"
    data = request.get_data(cache=False)
    photo, created = service.add_photo(db.session, current_storage(), finding_id, data, filename, sha256, lim,
                                       keep_original=keep_originals())
    return jsonify(photo), 201 if created else 200


@bp.post("/api/findings/<uuid:finding_id>/photos")
def post_photos(finding_id):
    """Store each file of the multipart field ``photo``; keep the good ones, name the bad ones."""
    service.require_owner(db.session, finding_id, current_participant_id())
    lim = limits()
    uploads = [upload for upload in request.files.getlist("photo") if upload.filename]
    if not uploads:
        raise ValidationFailed("No photo in the upload.", {"photo": "attach one or more files as 'photo'"})
    photos, problems, created_any = [], [], False
    for upload in uploads:
        data = upload.stream.read(lim.max_bytes + 1)
        try:
            photo, created = service.add_photo(db.session, current_storage(), finding_id, data,
                                               upload.filename or "photo", None, lim, keep_originals())
        except PhotoRefused as refused:
            problems.append(refused.message)
            continue
        photos.append(photo)
        created_any = created_any or created
    body = {"photos": photos}
    if problems:
        body.update(error="validation_failed", message="Some photos were not stored.",
                    fields={"photo": "; ".join(problems)})
    status = 422 if not photos else 201 if created_any else 200
    return jsonify(body), status


@bp.get("/api/findings/<uuid:finding_id>/photos")
def list_photos(finding_id):
    return jsonify(photos=service.list_photos(db.session, finding_id, viewer=current_participant_id()))


@bp.delete("/api/findings/<uuid:finding_id>/photos/<uuid:photo_id>")
def delete_photo(finding_id, photo_id):
    service.require_owner(db.session, finding_id, current_participant_id())
    service.delete_photo(db.session, current_storage(), finding_id, photo_id)
    return "", 204


@bp.get("/photos/<stored_sha256>/<kind>.jpg")
def photo_file(stored_sha256, kind):
    """Serve a stored JPEG; its URL names its content, so caches may keep it for good."""
    key, store = served_key(stored_sha256, kind), current_storage()
    if key is None:
        abort(404)
    access = photo_file_access(db.session, stored_sha256, current_participant_id(), current_user)
    if access is None:
        return renamed_photo_file(stored_sha256, kind)
    if not store.exists(key):
        abort(404)
    try:
        response = send_file(file_source(store, key), mimetype="image/jpeg", max_age=ONE_YEAR, etag=f"{stored_sha256}-{kind}",
                             conditional=True)
    except FileNotFoundError:
        abort(404)
    cache_for(response, access)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def renamed_photo_file(old_sha256: str, kind: str):
    """A URL from before a reviewer's blur (the city's ``media_url``, say) leads to the photo's
    current copy, if the asker may see that; else 404 as for any unknown file."""
    current = service.renamed_to(db.session, old_sha256)
    if current is None or photo_file_access(db.session, current, current_participant_id(), current_user) is None:
        abort(404)
    response = redirect(url_for("photos.photo_file", stored_sha256=current, kind=kind))
    response.cache_control.no_cache = True  # the photo may be blurred again, or hidden
    return response


def cache_for(response, access: str) -> None:
    """Without moderation a photo's URL names its content, so caches may keep it for good. With
    moderation a team may hide it later: shared caches keep a public photo for an hour at most,
    and one only its sender or the team may see is kept by no shared cache."""
    if access != PUBLIC:
        response.cache_control.no_cache = True
        response.cache_control.private = True
        response.cache_control.max_age = 0
        response.vary.add("Cookie")
        return
    response.cache_control.public = True
    if moderation_settings.current_mode() == "off":
        response.cache_control.immutable = True
    else:
        response.cache_control.max_age = HIDE_WITHIN
