"""Concerns (Anliegen): findings grouped by a team and followed until the city has acted. No Flask here.

Creating a concern, changing its status or texts, moving findings between concerns. Every
change raises the concern's ``version`` and writes an entry to its audit trail
(:mod:`mapapp.review.concerns.trail`), refusing a change made from a stale page.
"""
from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import text
from sqlalchemy.orm import Session

from mapapp.auth.users import Account, get_user
from mapapp.errors import BadRequest, Forbidden, NotFound, StaleWrite, ValidationFailed
from mapapp.review.access import require_category, require_regrouping
from mapapp.review.concerns.queries import concern_detail, list_concerns, next_statuses
from mapapp.review.concerns.trail import checked_concern, record, touch, versioned_write
from mapapp.statuses import TRANSITIONS

TITLE_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 2000
SUMMARY_MAX_LENGTH = 10000
PUBLIC_MESSAGE_MAX_LENGTH = 1000


# ---- shared checks -----------------------------------------------------------------


def _account(session: Session, user_id: int) -> Account:
    account = get_user(session, user_id) if user_id is not None else None
    if account is None:
        raise Forbidden(_("Bitte melde dich an."))
    return account


def _title(title) -> str:
    title = title.strip() if isinstance(title, str) else ""
    if not title or len(title) > TITLE_MAX_LENGTH:
        message = _("Bitte einen Titel mit 1 bis %(max)s Zeichen angeben.", max=TITLE_MAX_LENGTH)
        raise ValidationFailed(message, {"title": message})
    return title


def _optional_text(value, name: str, max_length: int) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValidationFailed(_("Bitte die markierten Angaben prüfen."), {name: _("Bitte Text angeben.")})
    value = (value or "").strip()
    if len(value) > max_length:
        message = _("Höchstens %(max)s Zeichen.", max=max_length)
        raise ValidationFailed(message, {name: message})
    return value or None


def _location(lat, lon) -> tuple[float, float] | None:
    """``(lat, lon)``, or None when neither is given; both or none, within range."""
    if lat is None and lon is None:
        return None
    errors = {}
    for name, value, limit in (("lat", lat, 90), ("lon", lon, 180)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not -limit <= value <= limit:
            errors[name] = _("Bitte eine Koordinate angeben.")
    if errors:
        raise ValidationFailed(_("Der Ort ist ungültig."), errors)
    return float(lat), float(lon)


def _refuse_outside(session: Session) -> None:
    session.rollback()
    message = _("Dieser Ort liegt außerhalb von Duisburg.")
    raise ValidationFailed(message, {"lat": message, "lon": message})


# ---- creating ----------------------------------------------------------------------


def _finding_ids(raw) -> list[uuid.UUID]:
    if not isinstance(raw, (list, tuple)) or not raw:
        message = _("Bitte mindestens einen Fund auswählen.")
        raise ValidationFailed(message, {"finding_ids": message})
    try:
        return list(dict.fromkeys(uuid.UUID(str(item)) for item in raw))
    except ValueError:
        message = _("Das ist keine gültige Fund-ID.")
        raise ValidationFailed(message, {"finding_ids": message}) from None


def _locked_findings(session: Session, ids: list[uuid.UUID]):
    """The findings ``ids``, locked, each with the concern it is in now and that concern's category."""
    return session.execute(text("""
        SELECT f.id, f.category_slug, f.concern_id, k.category_slug AS concern_category
        FROM findings f LEFT JOIN concerns k ON k.id = f.concern_id
        WHERE f.id = ANY(:ids) ORDER BY f.id FOR UPDATE OF f
    """), {"ids": ids}).all()


def _findings_for_concern(session: Session, ids: list[uuid.UUID]):
    rows = _locked_findings(session, ids)
    missing = set(ids) - {row.id for row in rows}
    if missing:
        message = _("Unbekannte Funde: %(ids)s", ids=", ".join(sorted(str(i) for i in missing)))
        raise ValidationFailed(message, {"finding_ids": message})
    return rows


def _category(session: Session, category, rows) -> str:
    """The concern's category; without one, the findings' category when they share one."""
    if not category:
        slugs = {row.category_slug for row in rows}
        category = slugs.pop() if len(slugs) == 1 else None
    known = category and session.execute(
        text("SELECT 1 FROM categories WHERE slug = :slug"), {"slug": category}
    ).scalar()
    if not known:
        message = _("Bitte eine Kategorie wählen.")
        raise ValidationFailed(message, {"category": message})
    return category


def create_concern(session: Session, *, title, summary, category, finding_ids, user_id: int,
                   lat=None, lon=None) -> dict:
    """Make a concern of ``finding_ids``; return its detail.

    It is placed at the centroid of its findings (points and lines, computed in metres in
    EPSG:25832) unless ``lat``/``lon`` say otherwise. A finding that belonged to another
    concern moves over; both concerns record that in their audit trail.
    """
    account = _account(session, user_id)
    title = _title(title)
    summary = _optional_text(summary, "summary", SUMMARY_MAX_LENGTH)
    place = _location(lat, lon)
    rows = _findings_for_concern(session, _finding_ids(finding_ids))
    category = _category(session, category, rows)
    require_regrouping(session, account, rows, None, category)
    ids = [row.id for row in rows]
    geom = ("ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)" if place else
            "(SELECT ST_Transform(ST_Centroid(ST_Collect(ST_Transform(geom, 25832))), 4326)"
            " FROM findings WHERE id = ANY(:ids))")
    created = session.execute(text(f"""
        INSERT INTO concerns (id, title, summary, category_slug, geom, created_by_id)
        VALUES (:id, :title, :summary, :category, {geom}, :user_id)
        RETURNING id, stadtbezirk_id
    """), {"id": uuid.uuid4(), "title": title, "summary": summary, "category": category,
           "user_id": account.id, "ids": ids, "lat": place and place[0], "lon": place and place[1]}).one()
    if place and created.stadtbezirk_id is None:
        _refuse_outside(session)
    record(session, created.id, account.id, "created", to_status="new")
    _link(session, created.id, rows, account.id)
    session.commit()
    return concern_detail(session, created.id)


def _link(session: Session, concern_id, rows, user_id: int) -> None:
    """Put the findings ``rows`` into the concern; record every one taken from another concern."""
    session.execute(text("UPDATE findings SET concern_id = :concern_id WHERE id = ANY(:ids)"),
                    {"concern_id": concern_id, "ids": [row.id for row in rows]})
    moved = [row for row in rows if row.concern_id is not None and row.concern_id != concern_id]
    for row in moved:
        record(session, row.concern_id, user_id, "finding_removed", note=str(row.id))
        record(session, concern_id, user_id, "finding_added", note=str(row.id))
    touch(session, {row.concern_id for row in moved})


# ---- changing ----------------------------------------------------------------------


def _duplicate_target(session: Session, account: Account, concern_id, to_status: str, duplicate_of):
    if to_status != "duplicate":
        if duplicate_of:
            message = _("Nur bei „Duplikat“ anzugeben.")
            raise ValidationFailed(message, {"duplicate_of": message})
        return None
    message = _("Bitte das Anliegen wählen, das dieses doppelt.")
    try:
        target_id = uuid.UUID(str(duplicate_of)) if duplicate_of else None
    except ValueError:
        target_id = None
    target = target_id and session.execute(
        text("SELECT id, status, category_slug FROM concerns WHERE id = :id"), {"id": target_id}
    ).first()
    if not target or target.id == concern_id or target.status == "duplicate":
        raise ValidationFailed(message, {"duplicate_of": message})
    require_category(session, account, target.category_slug)
    return target.id


def change_status(session: Session, concern_id: uuid.UUID, *, to_status: str, note: str | None,
                  user_id: int, expected_version: int, duplicate_of=None) -> dict:
    """Move the concern along its workflow (see ``TRANSITIONS``); return its detail.

    Raises ``StaleWrite`` when ``expected_version`` is not the current one, and
    ``ValidationFailed`` naming ``status`` for a change the workflow does not allow.
    """
    account = _account(session, user_id)
    note = _optional_text(note, "note", NOTE_MAX_LENGTH)
    row = checked_concern(session, account, concern_id, expected_version)
    if to_status not in TRANSITIONS[row.status]:
        message = _("Dieser Statuswechsel ist nicht möglich.")
        raise ValidationFailed(message, {"status": message})
    target = _duplicate_target(session, account, concern_id, to_status, duplicate_of)
    versioned_write(session, concern_id, expected_version, "status = :status, duplicate_of_id = :duplicate_of",
                    {"status": to_status, "duplicate_of": target})
    record(session, concern_id, account.id, "status_changed", from_status=row.status,
           to_status=to_status, note=note)
    session.commit()
    return concern_detail(session, concern_id)


def update_concern(session: Session, concern_id: uuid.UUID, *, title=None, summary=None, lat=None,
                   lon=None, public_message=None, user_id: int, expected_version: int) -> dict:
    """Change title, summary, location and/or the public message (``""`` clears a text); return the detail.

    The audit entry ``edited`` notes which of ``title``, ``summary``, ``location`` changed;
    a new public message gets its own entry ``public_message_changed`` holding the text
    (it is public anyway), so the trail shows what the public was told and when.
    """
    account = _account(session, user_id)
    sets, params = [], {}
    if title is not None:
        sets.append("title = :title")
        params["title"] = _title(title)
    if summary is not None:
        sets.append("summary = :summary")
        params["summary"] = _optional_text(summary, "summary", SUMMARY_MAX_LENGTH)
    place = _location(lat, lon)
    if place:
        sets.append("geom = ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)")
        params.update(lat=place[0], lon=place[1])
    if public_message is not None:
        params["public_message"] = _optional_text(public_message, "public_message", PUBLIC_MESSAGE_MAX_LENGTH)
        sets.append("""public_message_at = CASE
                           WHEN CAST(:public_message AS text) IS NULL THEN NULL
                           WHEN public_message IS NOT DISTINCT FROM CAST(:public_message AS text) THEN public_message_at
                           ELSE now() END,
                       public_message = :public_message""")
    if not sets:
        raise BadRequest(_("Es wurde nichts geändert."))
    checked_concern(session, account, concern_id, expected_version)
    written = versioned_write(session, concern_id, expected_version, ", ".join(sets), params)
    if place and written.stadtbezirk_id is None:
        _refuse_outside(session)
    changed = [name for name, given in (("title", title), ("summary", summary), ("location", place))
               if given is not None]
    if changed:
        record(session, concern_id, account.id, "edited", note=", ".join(changed))
    if public_message is not None:
        record(session, concern_id, account.id, "public_message_changed", note=params["public_message"])
    session.commit()
    return concern_detail(session, concern_id)


def move_finding(session: Session, finding_id: uuid.UUID, to_concern_id: uuid.UUID | None,
                 user_id: int) -> dict:
    """Put a finding into another concern, or (``None``) take it out of its concern.

    Both concerns record the move and get a new version. Returns
    ``{finding_id, concern_id, previous_concern_id, versions: {concern id: new version}}``.
    """
    account = _account(session, user_id)
    found = _locked_findings(session, [finding_id])
    if not found:
        raise NotFound(_("Diesen Fund gibt es nicht."))
    finding = found[0]
    target = None
    if to_concern_id is not None:
        target = session.execute(text("SELECT category_slug FROM concerns WHERE id = :id"),
                                 {"id": to_concern_id}).scalar()
        if target is None:
            message = _("Dieses Anliegen gibt es nicht.")
            raise ValidationFailed(message, {"concern_id": message})
    require_regrouping(session, account, found, to_concern_id, target)
    result = {"finding_id": str(finding_id), "concern_id": to_concern_id and str(to_concern_id),
              "previous_concern_id": finding.concern_id and str(finding.concern_id), "versions": {}}
    if finding.concern_id == to_concern_id:
        return result
    session.execute(text("UPDATE findings SET concern_id = :to WHERE id = :id"),
                    {"to": to_concern_id, "id": finding_id})
    if finding.concern_id:
        record(session, finding.concern_id, account.id, "finding_removed", note=str(finding_id))
    if to_concern_id:
        record(session, to_concern_id, account.id, "finding_added", note=str(finding_id))
    result["versions"] = touch(session, {finding.concern_id, to_concern_id} - {None})
    session.commit()
    return result
