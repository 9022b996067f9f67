"""Joining a walk from its link or QR code (``/w/<join_code>``) and the printable handout."""
import uuid
from datetime import datetime

from flask import Blueprint
from flask_babel import format_date, format_decimal, gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.config import LOCAL_ZONE
from mapapp.i18n import text_direction, zone_abbreviation

bp = Blueprint("join", __name__)


def join_url(join_code: str) -> str:
    """The absolute join link (and QR code): under ``PUBLIC_BASE_URL``, else the (trusted) request host."""
    from mapapp.public_urls import public_url

    return public_url("join.join_page", join_code=join_code)


def walk_client_config(walk: dict) -> dict:
    """The map page's config (``capture.client_config()``) narrowed to one walk.

    Adds ``walk_id``, ``walk`` (the ``walk_detail`` dict) and centres the map on the
    meeting point; the page's scripts may fit ``walk["bounds"]`` instead.
    """
    from mapapp.capture import client_config

    config = client_config()
    config["walk_id"] = walk["id"]
    config["walk"] = walk
    if walk.get("meeting_point"):
        lon, lat = walk["meeting_point"]["coordinates"]
        config["center"] = [lat, lon]
    return config


def known_participant(session: Session, participant_id: uuid.UUID | None) -> bool:
    """True when the participant in the cookie still exists (they joined before)."""
    if participant_id is None:
        return False
    return bool(session.execute(text("SELECT 1 FROM participants WHERE id = :id"), {"id": participant_id}).scalar())


@bp.app_template_filter("walk_when")
def walk_when(walk: dict, zone: bool = False) -> str:
    """"Samstag, 12. September 2026, 12:00–14:00" in Duisburg's time; empty without a start.

    ``zone=True`` names the zone ("… 12:00–14:00 MESZ") where no "Uhr (Duisburger Zeit)" follows.
    """
    if not walk.get("starts_at"):
        return ""
    starts = _local(walk["starts_at"])
    when = f"{format_date(starts.date(), 'full')}, {starts:%H:%M}"
    if walk.get("ends_at"):
        when += f"–{_local(walk['ends_at']):%H:%M}"
    return f"{when} {zone_abbreviation(starts)}" if zone else when


@bp.app_template_filter("coordinates")
def coordinates(point: dict) -> str:
    """A GeoJSON point as "51,4565° N, 6,6995° O" in the request's language.

    Decimal separator and compass letters follow the language ("51.4565° N, 6.6995° E" in
    English). In a right-to-left language each number is a left-to-right isolate, so its
    degree sign stays on its right.
    """
    lon, lat = point["coordinates"]
    north = _("%(degrees)s N", degrees=_degrees(lat)) if lat >= 0 else _("%(degrees)s S", degrees=_degrees(lat))
    east = _("%(degrees)s O", degrees=_degrees(lon)) if lon >= 0 else _("%(degrees)s W", degrees=_degrees(lon))
    return _("%(latitude)s, %(longitude)s", latitude=north, longitude=east)


def _degrees(value: float) -> str:
    number = format_decimal(abs(value), format="0.0####") + "°"
    return f"\u2066{number}\u2069" if text_direction() == "rtl" else number


def _local(value: str | datetime) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(LOCAL_ZONE)


from mapapp.join import routes  # noqa: E402,F401  (routes attach themselves to bp)
