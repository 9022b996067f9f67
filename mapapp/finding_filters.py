"""Filters shared by the queries that narrow findings (map, viewport, tiles, clusters, exports):
their SQL conditions and the parsing of their day parameters.

A district is named by its code or its name, Ortsteil or Stadtbezirk; dates are whole days in
Duisburg's time, both ends included.
"""
from datetime import date

from flask_babel import gettext as _

TIME_ZONE = "Europe/Berlin"


def in_district(alias: str = "f") -> str:
    """Rows of ``alias`` (with ``ortsteil_id``/``stadtbezirk_id``) inside the district ``:district``."""
    named = "SELECT id FROM districts WHERE code = :district OR name = :district"
    return f"({alias}.ortsteil_id IN ({named}) OR {alias}.stadtbezirk_id IN ({named}))"


def created_from(column: str = "f.created_at") -> str:
    """``column`` on or after the day ``:date_from``."""
    return f"{column} >= (CAST(:date_from AS date)::timestamp AT TIME ZONE '{TIME_ZONE}')"


def created_to(column: str = "f.created_at") -> str:
    """``column`` on or before the day ``:date_to``."""
    return f"{column} < ((CAST(:date_to AS date) + 1)::timestamp AT TIME ZONE '{TIME_ZONE}')"


def parse_day(raw: str | None, name: str, errors: dict) -> date | None:
    """The day in ``raw`` (YYYY-MM-DD), None when empty; a wrong one is noted in ``errors[name]``."""
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = _("Datum im Format JJJJ-MM-TT angeben.")
        return None
