"""Build a :class:`Selection` from plain strings (CLI options, query parameters); shared by CLI and route."""
from flask_babel import gettext as _

from mapapp.errors import ValidationFailed
from mapapp.exports.selection import SRIDS, WHATS, Selection
from mapapp.findings.filters import options_as_args, read_filter

TRUE = ("1", "true", "yes", "on", "ja")


def parse_selection(*, walk=None, district=None, categories=(), statuses=(), date_from=None,
                    date_to=None, what="findings", photos=False, text=True, crs="25832") -> Selection:
    """Check the plain values and return the Selection; ValidationFailed names each bad field."""
    errors: dict[str, str] = {}
    flt = read_filter(options_as_args(walk=walk, district=district, categories=categories, statuses=statuses,
                                      date_from=date_from, date_to=date_to), errors)
    if what not in WHATS:
        errors["what"] = _("Erlaubt: %(values)s", values=", ".join(WHATS))
    try:
        srid = int(str(crs).upper().removeprefix("EPSG:"))
        if srid not in SRIDS:
            raise ValueError
    except ValueError:
        errors["crs"] = _("Erlaubt: 25832 oder 4326.")
        srid = 25832
    if errors:
        raise ValidationFailed(_("Die Auswahl ist ungültig."), fields=errors)
    return Selection(
        walk_id=str(flt.walk_id) if flt.walk_id else None, district=flt.district,
        categories=list(flt.categories), statuses=list(flt.statuses), date_from=flt.date_from, date_to=flt.date_to,
        what=what, include_photos=bool(photos), include_text=bool(text), srid=srid,
    )


def flag(value) -> bool:
    """A checkbox / query flag as bool."""
    return str(value).strip().lower() in TRUE
