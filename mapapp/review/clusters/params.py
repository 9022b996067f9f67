"""Reading the cluster view's query string into keyword arguments for ``find_clusters``.

No Flask here: ``args`` is any mapping of strings (``request.args`` in the route). Every
wrong value is reported at once, each under the name of its query parameter.
"""
from __future__ import annotations

import uuid
from collections.abc import Mapping

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.errors import ValidationFailed
from mapapp.review.clusters.clustering import PAGE_SIZE
from mapapp.findings import filters as finding_filters
from mapapp.findings.filters import FindingFilter, read_filter

EPS_RANGE = (1, 500)
MIN_RANGE = (1, 50)
DEFAULT_EPS = 40
DEFAULT_MIN = 2
MAX_IDS = 1000
PAGE_RANGE = (1, 10_000)
OFFSET_RANGE = (0, 10_000_000)


def _number(raw: str | None, kind, default, bounds, errors: dict, name: str):
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        value = None
    if value is None or value != value or not bounds[0] <= value <= bounds[1]:
        errors[name] = _("Bitte eine Zahl von %(low)s bis %(high)s angeben.", low=bounds[0], high=bounds[1])
        return default
    return value


def _list(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def _check_known(session: Session, flt: FindingFilter, errors: dict) -> None:
    """Refuse a walk, district or category that does not exist (a typo would show nothing)."""
    known = session.execute(text(f"""
        SELECT EXISTS (SELECT 1 FROM walks WHERE id = CAST(:walk AS uuid)) AS walk,
               EXISTS (SELECT 1 FROM districts d WHERE d.id IN ({finding_filters.named_district()})) AS district,
               ARRAY(SELECT slug FROM categories WHERE slug = ANY(:categories)) AS categories
    """), {"walk": flt.walk_id, "district": flt.district, "categories": list(flt.categories)}).one()
    if flt.walk_id is not None and not known.walk:
        errors["walk"] = _("Unbekannter Rundgang.")
    if flt.district is not None and not known.district:
        errors["district"] = _("Diesen Ortsteil oder Stadtbezirk gibt es nicht.")
    unknown = sorted(set(flt.categories) - set(known.categories))
    if unknown:
        errors["category"] = _("Unbekannte Kategorie „%(slug)s“.", slug=", ".join(unknown))


def parse_cluster_args(session: Session, args: Mapping[str, str]) -> dict:
    """``eps``, ``min``, ``in_concern``, the page (``limit``, ``offset``) and the finding filter (mapapp/findings/filters.py) →
    keyword arguments of ``find_clusters``; raise ValidationFailed naming every wrong parameter."""
    errors: dict[str, str] = {}
    flt = read_filter(args, errors)
    parsed = {
        "eps_m": _number(args.get("eps"), float, DEFAULT_EPS, EPS_RANGE, errors, "eps"),
        "min_points": _number(args.get("min"), int, DEFAULT_MIN, MIN_RANGE, errors, "min"),
        "filter": flt,
        "include_in_concern": (args.get("in_concern") or "").strip().lower() in {"1", "true", "yes"},
        "limit": _number(args.get("limit"), int, PAGE_SIZE, PAGE_RANGE, errors, "limit"),
        "offset": _number(args.get("offset"), int, 0, OFFSET_RANGE, errors, "offset"),
    }
    _check_known(session, flt, errors)
    if errors:
        raise ValidationFailed(_("Bitte die markierten Angaben prüfen."), errors)
    return parsed


def parse_ids(raw: str | None) -> list[uuid.UUID]:
    """A comma-separated list of finding ids (1 to ``MAX_IDS``); raise ValidationFailed naming ``ids``."""
    parts = _list(raw)
    if not parts or len(parts) > MAX_IDS:
        raise ValidationFailed(_("Bitte die markierten Angaben prüfen."),
                               {"ids": _("Bitte 1 bis %(max)s Fund-IDs angeben.", max=MAX_IDS)})
    try:
        return [uuid.UUID(part) for part in parts]
    except ValueError:
        raise ValidationFailed(_("Bitte die markierten Angaben prüfen."),
                               {"ids": _("Das ist keine gültige Fund-ID.")}) from None

