"""Build a :class:`Selection` from plain strings (CLI options, query parameters); shared by CLI and route."""
import uuid
from datetime import date

from flask_babel import gettext as _

from mapapp.errors import ValidationFailed
from mapapp.exports.selection import SRIDS, WHATS, Selection
from mapapp.models import CONCERN_STATUSES

TRUE = ("1", "true", "yes", "on", "ja")


def _date(value: str | None, name: str, errors: dict) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        errors[name] = _("Datum im Format JJJJ-MM-TT angeben.")
        return None


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
    start, end = _date(date_from, "from", errors), _date(date_to, "to", errors)
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
