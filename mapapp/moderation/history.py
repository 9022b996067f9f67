"""What the team's review pages say about a finding's moderation: its trail and the automatic blurring.

The moderation queue and the concern page show, per finding, the trail entries (approve, hide,
unhide, edit of the public text, a reviewer's blur and unblur: ``moderation_events``) in a compact
list with who and when, and, per photo, the regions the detector blurred at upload, so the
reviewer knows what was already done before deciding. Only review templates render these: no
public page, feed or API reads this module. No Flask routes here; texts go through gettext.
"""
from __future__ import annotations

from flask_babel import gettext as _, ngettext
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.i18n import local_time

TRAILS_SQL = """
    SELECT e.finding_id::text AS finding_id, e.photo_id::text AS photo_id, e.action, e.detail, e.at,
           COALESCE(u.display_name, u.username, e.actor) AS who
    FROM moderation_events e LEFT JOIN users u ON u.id = e.user_id
    WHERE e.finding_id = ANY(CAST(:ids AS uuid[]))
    ORDER BY e.at, e.id
"""

AUTO_REGIONS_SQL = """
    SELECT p.id::text AS photo_id, r ->> 'kind' AS kind, count(*) AS found
    FROM photos p CROSS JOIN LATERAL jsonb_array_elements(COALESCE(p.blur_regions, '[]'::jsonb)) AS r
    WHERE p.id = ANY(CAST(:ids AS uuid[])) AND r ->> 'source' = 'auto'
    GROUP BY p.id, r ->> 'kind'
"""


def action_labels() -> dict[str, str]:
    """The trail's actions (``moderation_events.action``) as the team reads them."""
    return {
        "text_approved": _("Text veröffentlicht"), "text_hidden": _("Text verborgen"),
        "text_unhidden": _("Text wieder gezeigt"), "text_edited": _("Öffentlichen Text bearbeitet"),
        "photo_approved": _("Foto veröffentlicht"), "photo_hidden": _("Foto verborgen"),
        "photo_unhidden": _("Foto wieder gezeigt"),
        "blur": _("Bereich unkenntlich gemacht"), "unblur": _("Bereich wieder sichtbar gemacht"),
    }


def kind_label(kind: str | None) -> str:
    return _("Kennzeichen") if kind == "plate" else _("Gesicht")


def describe(entry: dict) -> str:
    """An entry's action as text; a blur or unblur names what the region held: ``… : Gesicht``."""
    label = action_labels().get(entry["action"], entry["action"])
    region = (entry.get("detail") or {}).get("region")
    if entry["action"] in ("blur", "unblur") and isinstance(region, dict):
        label = f"{label}: {kind_label(region.get('kind'))}"
    return label


def trails(session: Session, finding_ids) -> dict[str, list[dict]]:
    """Each finding's trail, oldest first, by finding id (text): ``action``, ``what``, ``who``, ``at``
    (the moment), ``when`` (Duisburg time with the zone named) and ``photo_id``."""
    ids = [str(value) for value in finding_ids]
    result: dict[str, list[dict]] = {value: [] for value in ids}
    if not ids:
        return result
    for row in session.execute(text(TRAILS_SQL), {"ids": ids}).mappings():
        entry = dict(row)
        entry["what"] = describe(entry)
        entry["who"] = entry["who"] or _("Unbekannt")
        entry["when"] = local_time(entry["at"])
        result[entry["finding_id"]].append(entry)
    return result


def auto_regions(session: Session, photo_ids) -> dict[str, dict[str, int]]:
    """The regions the detector blurred at upload, per photo id (text): ``{"face": n, "plate": m}``."""
    ids = [str(value) for value in photo_ids]
    result: dict[str, dict[str, int]] = {value: {} for value in ids}
    if ids:
        for row in session.execute(text(AUTO_REGIONS_SQL), {"ids": ids}):
            result[row.photo_id][row.kind or "face"] = int(row.found)
    return result


def auto_summary(found: dict[str, int]) -> str:
    """``2 Bereiche automatisch unkenntlich gemacht (1 Gesicht, 1 Kennzeichen)``, or that none was found."""
    total = sum(found.values())
    if not total:
        return _("Nichts automatisch unkenntlich gemacht")
    summary = ngettext("%(num)d Bereich automatisch unkenntlich gemacht",
                       "%(num)d Bereiche automatisch unkenntlich gemacht", total)
    parts = []
    if found.get("face"):
        parts.append(ngettext("%(num)d Gesicht", "%(num)d Gesichter", found["face"]))
    if found.get("plate"):
        parts.append(ngettext("%(num)d Kennzeichen", "%(num)d Kennzeichen", found["plate"]))
    return f"{summary} ({', '.join(parts)})"


def annotate_queue(session: Session, items: list[dict]) -> None:
    """Give each queue item its finding's ``trail`` and, for a photo, ``auto_blurred`` (a summary)."""
    found_trails = trails(session, {item["finding_id"] for item in items})
    photos = auto_regions(session, [item["photo_id"] for item in items if item["photo_id"]])
    for item in items:
        item["trail"] = found_trails.get(str(item["finding_id"]), [])
        if item["photo_id"]:
            item["auto_blurred"] = auto_summary(photos.get(str(item["photo_id"]), {}))
