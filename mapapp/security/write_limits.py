"""One write budget per remote address over the participant-facing write blueprints.

``WRITE_RATE_LIMIT`` is one budget shared by every write (POST/PUT/PATCH/DELETE) of the
participant API (findings, +1s), photo uploads and Open311 submissions; reads are never
limited. ``create_app`` names the blueprints; each of them answers its own 429 (JSON here,
the GeoReport error list on Open311). The counting store and the switch are the app's
``Limiter`` (mapapp/auth/ratelimit.py, which also limits sign-in attempts).

The limits are checked before the view runs, so a refused write stores nothing.
"""
from flask import Blueprint, Flask, current_app, jsonify
from flask_babel import gettext as _

# A group walk shares one mobile-network address; its outboxes flush together when the
# network returns. 600 a minute lets 30 phones send 20 findings or photos each at once.
DEFAULT_WRITE_RATE_LIMIT = "600 per minute"
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def write_rate_limit() -> str:
    return current_app.config["WRITE_RATE_LIMIT"]


def too_many_writes_message() -> str:
    return _("Zu viele Anfragen von diesem Anschluss. Bitte gleich noch einmal senden.")


def too_many_writes(_err):
    """The JSON API's 429 (findings, +1s, photos)."""
    return jsonify({"error": "rate_limited", "message": too_many_writes_message()}), 429


def init_app(app: Flask, blueprints: list[Blueprint]) -> None:
    """Put ``blueprints``' writes under one shared budget of the app's limiter.

    Blueprint limits are looked up by the blueprint's name at request time, so this works
    whether or not the blueprints are registered yet.
    """
    app.config.setdefault("WRITE_RATE_LIMIT", DEFAULT_WRITE_RATE_LIMIT)
    limiter = app.extensions["limiter"]
    for blueprint in blueprints:
        limiter.shared_limit(write_rate_limit, scope="write", methods=WRITE_METHODS)(blueprint)
