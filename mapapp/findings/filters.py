"""The one finding filter: :class:`FindingFilter`, its parser and its SQL builder. No Flask here.

The map (``/api/findings``), the viewport and the vector tiles, the review's clusters, the
dashboard, the exports and the Open311 requests list all narrow findings by the same filter,
read from the same query parameters and turned into SQL by :func:`where_sql`, so the same
filter selects the same findings everywhere:

- ``walk``: a walk's id;
- ``category``: category slugs, comma-separated;
- ``status``: statuses (``mapapp.statuses.CONCERN_STATUSES``), comma-separated; a finding's status
  is its concern's once it belongs to one;
- ``district``: a district's code or name (any case), Ortsteil or Stadtbezirk;
- ``from``/``to``: whole days (YYYY-MM-DD) in Duisburg's time (``config.LOCAL_TZ``), both included.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date

from flask_babel import gettext as _

from mapapp.config import LOCAL_TZ
from mapapp.errors import ValidationFailed
from mapapp.statuses import CONCERN_STATUSES

MAX_FILTER_CHARS = 500
FILTER_PARAMS = ("walk", "category", "status", "district", "from", "to")


@dataclass(frozen=True)
class FindingFilter:
    """Which findings to take; every field optional (empty: no restriction).

    ``bbox`` (W, S, E, N in EPSG:4326) is for callers that take one as a filter (``/api/findings``);
    the viewport and the tiles keep their view apart.
    """

    walk_id: uuid.UUID | None = None
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    district: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    bbox: tuple[float, float, float, float] | None = None

    def __post_init__(self):
        set_ = object.__setattr__
        set_(self, "categories", tuple(self.categories or ()))
        set_(self, "statuses", tuple(self.statuses or ()))
        set_(self, "district", (self.district or "").strip() or None)
        if self.walk_id is not None and not isinstance(self.walk_id, uuid.UUID):
            set_(self, "walk_id", uuid.UUID(str(self.walk_id)))
        if self.bbox is not None:
            set_(self, "bbox", tuple(self.bbox))

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def _split(raw: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (raw or "").split(",") if part.strip())


def _day(raw: str | None, name: str, errors: dict) -> date | None:
    """The day in ``raw`` (YYYY-MM-DD), None when empty; a wrong one is noted in ``errors[name]``."""
    if not raw or not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        errors[name] = _("Datum im Format JJJJ-MM-TT angeben.")
        return None


def _refuse_bad_text(args: Mapping, errors: dict) -> None:
    """NUL cannot reach PostgreSQL text, and a filter longer than any name is no filter."""
    for name in ("walk", "category", "status", "district"):
        value = args.get(name) or ""
        if "\x00" in value:
            errors[name] = _("Enthält ungültige Zeichen (Nullzeichen oder ungültiges Unicode).")
        elif len(value) > MAX_FILTER_CHARS:
            errors[name] = _("Höchstens %(count)s Zeichen.", count=MAX_FILTER_CHARS)


def read_filter(args: Mapping, errors: dict) -> FindingFilter:
    """The filter in ``args`` (query parameters ``walk``, ``category``, ``status``, ``district``,
    ``from``, ``to``); each wrong one is noted in ``errors`` under its name and left out."""
    _refuse_bad_text(args, errors)
    walk = None
    if (args.get("walk") or "").strip() and "walk" not in errors:
        try:
            walk = uuid.UUID(args["walk"].strip())
        except ValueError:
            errors["walk"] = _("Keine gültige UUID.")
    statuses = () if "status" in errors else _split(args.get("status"))
    unknown = [s for s in statuses if s not in CONCERN_STATUSES]
    if unknown:
        errors["status"] = _("Unbekannter Status: %(statuses)s", statuses=", ".join(unknown))
    start, end = _day(args.get("from"), "from", errors), _day(args.get("to"), "to", errors)
    if start and end and start > end:
        errors["to"] = _("Das Ende liegt vor dem Anfang.")
    return FindingFilter(
        walk_id=walk, categories=() if "category" in errors else _split(args.get("category")),
        statuses=() if unknown else statuses,
        district=None if "district" in errors else args.get("district"),
        date_from=start, date_to=None if "to" in errors else end,
    )


def parse_filter(args: Mapping) -> FindingFilter:
    """The filter in ``args``; ValidationFailed (422) names every wrong parameter."""
    errors: dict[str, str] = {}
    flt = read_filter(args, errors)
    if errors:
        raise ValidationFailed(_("Einige Abfrageparameter sind nicht gültig."), errors)
    return flt


def options_as_args(*, walk=None, district=None, categories: Iterable[str] = (), statuses: Iterable[str] = (),
                    date_from=None, date_to=None) -> dict:
    """The export's CLI options (and form lists) as the query parameters :func:`read_filter` reads."""
    return {"walk": str(walk or ""), "district": district or "", "category": ",".join(c for c in categories if c),
            "status": ",".join(s for s in statuses if s), "from": str(date_from or ""), "to": str(date_to or "")}


def named_district() -> str:
    """The ids of the districts ``:district`` names: by code, or by name in any case."""
    return "SELECT id FROM districts WHERE code = :district OR lower(name) = lower(:district)"


def in_district(alias: str = "f") -> str:
    """Rows of ``alias`` (with ``ortsteil_id``/``stadtbezirk_id``) inside the district ``:district``."""
    named = named_district()
    return f"({alias}.ortsteil_id IN ({named}) OR {alias}.stadtbezirk_id IN ({named}))"


def created_from(column: str = "f.created_at") -> str:
    """``column`` on or after the Duisburg day ``:date_from``."""
    return f"{column} >= (CAST(:date_from AS date)::timestamp AT TIME ZONE '{LOCAL_TZ}')"


def created_to(column: str = "f.created_at") -> str:
    """``column`` on or before the Duisburg day ``:date_to``."""
    return f"{column} < ((CAST(:date_to AS date) + 1)::timestamp AT TIME ZONE '{LOCAL_TZ}')"


def as_filter(flt: FindingFilter | None = None, **filter_fields) -> FindingFilter:
    """``flt``, else the filter of these fields (``walk_id=``, ``district=``, ``categories=`` …):
    domain functions take either."""
    return FindingFilter(**filter_fields) if flt is None else flt


def filter_args(flt: FindingFilter) -> dict[str, str]:
    """``flt`` as the query parameters :func:`read_filter` reads (for a link that keeps it)."""
    args = {"walk": flt.walk_id, "category": ",".join(flt.categories), "status": ",".join(flt.statuses),
            "district": flt.district, "from": flt.date_from, "to": flt.date_to}
    return {name: str(value) for name, value in args.items() if value}


def _status(alias: str, concern: str | None, own_status: bool) -> str:
    if own_status:
        return f"{alias}.status"
    if concern:
        return f"COALESCE({concern}.status, {alias}.status)"
    return f"COALESCE((SELECT fs.status FROM concerns fs WHERE fs.id = {alias}.concern_id), {alias}.status)"


def where_sql(flt: FindingFilter, alias: str = "f", *, concern: str | None = "k", own_status: bool = False,
              created: str | None = None) -> tuple[str, dict]:
    """``(where_sql, params)`` selecting the rows of ``alias`` that ``flt`` takes ("TRUE" for none).

    A finding's status is its concern's once it belongs to one: ``concern`` is the alias of the
    concern joined, None to look it up; ``own_status`` tests ``alias``'s own status (concerns,
    Open311 items). ``created`` is the moment the days apply to (default ``<alias>.created_at``).
    Parameters: ``walk_id``, ``categories``, ``statuses``, ``district``, ``date_from``,
    ``date_to``, ``bbox_w`` …
    """
    clauses, params = [], {}
    if flt.walk_id is not None:
        clauses.append(f"{alias}.walk_id = CAST(:walk_id AS uuid)")
        params["walk_id"] = str(flt.walk_id)
    if flt.categories:
        clauses.append(f"{alias}.category_slug = ANY(:categories)")
        params["categories"] = list(flt.categories)
    if flt.statuses:
        clauses.append(f"{_status(alias, concern, own_status)} = ANY(:statuses)")
        params["statuses"] = list(flt.statuses)
    if flt.district:
        clauses.append(in_district(alias))
        params["district"] = flt.district
    moment = created or f"{alias}.created_at"
    if flt.date_from:
        clauses.append(created_from(moment))
        params["date_from"] = flt.date_from
    if flt.date_to:
        clauses.append(created_to(moment))
        params["date_to"] = flt.date_to
    if flt.bbox:
        clauses.append(f"ST_Intersects({alias}.geom, ST_MakeEnvelope(:bbox_w, :bbox_s, :bbox_e, :bbox_n, 4326))")
        params.update({f"bbox_{side}": value for side, value in zip("wsen", flt.bbox)})
    return " AND ".join(clauses) or "TRUE", params
