"""Build a :class:`Selection` from plain strings (CLI options, query parameters); shared by CLI and route."""
import uuid

from flask_babel import gettext as _

from mapapp.errors import ValidationFailed
from mapapp.finding_filters import parse_day
from mapapp.exports.selection import SRIDS, WHATS, Selection
from mapapp.models import CONCERN_STATUSES

TRUE = ("1", "true", "yes", "on", "ja")


def parse_selection(*, walk=None, district=None, categories=(), statuses=(), date_from=None,
                    date_to=None, what="findings", photos=False, text=True, crs="25832") -> Selection:
    """Check the plain values and return the Selection; ValidationFailed names each bad field."""
    errors: dict[str, str] = {}
    walk = (walk or "").strip() or None
    if walk:
        try:
            walk = str(uuid.UUID(walk))
        except ValueError:
            errors["walk"] = _("Keine gültige Begehungs-ID.")
    bad = [s for s in statuses if s not in CONCERN_STATUSES]
    if bad:
        errors["status"] = _("Unbekannter Status: %(statuses)s", statuses=", ".join(bad))
    if what not in WHATS:
        errors["what"] = _("Erlaubt: %(values)s", values=", ".join(WHATS))
    try:
        srid = int(str(crs).upper().removeprefix("EPSG:"))
        if srid not in SRIDS:
            raise ValueError
    except ValueError:
        errors["crs"] = _("Erlaubt: 25832 oder 4326.")
        srid = 25832
    start, end = parse_day(date_from, "from", errors), parse_day(date_to, "to", errors)
    if start and end and start > end:
        errors["to"] = _("Das Ende liegt vor dem Anfang.")
    if errors:
        raise ValidationFailed(_("Die Auswahl ist ungültig."), fields=errors)
    return Selection(
        walk_id=walk, district=(district or "").strip() or None,
        categories=[c for c in categories if c], statuses=list(statuses), date_from=start, date_to=end,
        what=what, include_photos=bool(photos), include_text=bool(text), srid=srid,
    )


def flag(value) -> bool:
    """A checkbox / query flag as bool."""
    return str(value).strip().lower() in TRUE
