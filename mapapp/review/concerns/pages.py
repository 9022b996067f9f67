"""The concern pages: the list ``/review/concerns`` and one concern ``/review/concerns/<id>``."""
import uuid

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from mapapp.auth import team_required
from mapapp.db import db
from mapapp.errors import Forbidden, NotFound
from mapapp.i18n import local_time
from mapapp.moderation import history as moderation_history
from mapapp.statuses import CONCERN_STATUSES, status_labels
from mapapp.open311.submit import client_fields
from mapapp.review import bp
from mapapp.review.concerns import trail, workflow as concerns
from mapapp.review.access import categories_of, require_category

PLACEHOLDER = uuid.UUID(int=0)


def action_labels() -> dict[str, str]:
    """The audit trail's actions (the same msgids as strings.js ``concern.action``)."""
    return {
        "created": _("Angelegt"),
        "status_changed": _("Status geändert"),
        "edited": _("Bearbeitet"),
        "finding_added": _("Fund hinzugefügt"),
        "finding_removed": _("Fund entfernt"),
        "public_message_changed": _("Öffentliche Mitteilung geändert"),
        "finding_edited": _("Fund von der meldenden Person geändert"),
        "finding_recategorised": _("Fund herausgenommen: andere Kategorie gewählt"),
        "finding_withdrawn": _("Fund von der meldenden Person gelöscht"),
        "no_findings_left": _("Keine Funde mehr in diesem Anliegen"),
    }


def field_labels() -> dict[str, str]:
    """Fields named in ``edited`` (the concern's) and ``finding_*`` entries (a finding's)."""
    return {"title": _("Titel"), "summary": _("Zusammenfassung"), "location": _("Ort"),
            "category": _("Kategorie"), "place": _("Ort"), "description": _("Beschreibung"),
            "attributes": _("Angaben"), "urgency": _("Dringlichkeit")}


def _fields(names: str) -> str:
    labels = field_labels()
    return ", ".join(labels.get(name, name) for name in names.split(", "))


def describe(event: dict) -> str:
    """An audit entry's action as text: ``Status geändert: Neu → In Prüfung``, ``Bearbeitet: Titel``…

    ``finding_*`` entries note the finding's id, then (``id: fields``) what changed.
    """
    statuses = status_labels()
    text = action_labels().get(event["action"], event["action"])
    if event.get("to_status"):
        change = statuses.get(event["to_status"], event["to_status"])
        if event.get("from_status"):
            change = f"{statuses.get(event['from_status'], event['from_status'])} → {change}"
        text = f"{text}: {change}"
    note = event.get("note") or ""
    if event["action"] == "edited" and note:
        text += ": " + _fields(note)
    elif event["action"].startswith("finding_") and note:
        finding, _sep, changed = note.partition(": ")
        text += f" ({finding[:8]})" + (": " + _fields(changed) if changed else "")
    elif event["action"] == "public_message_changed" and not note:
        text = _("Öffentliche Mitteilung entfernt")
    return text


def who(event: dict) -> str:
    """Who made an audit entry: the account's name, the participant (no account), or unknown."""
    if event.get("user"):
        return event["user"]["display_name"] or event["user"]["username"]
    if event.get("actor"):
        return event["actor"]
    return _("Meldende Person") if event["action"] in trail.PARTICIPANT_ACTIONS else _("Unbekannt")


def shows_note(event: dict) -> bool:
    """Whether the entry's note is a text to show as it is (the others hold ids and field names)."""
    return bool(event.get("note")) and event["action"] in ("status_changed", "public_message_changed")


def when(iso: str | None) -> str:
    """An ISO time as Duisburg time with the zone named (the one helper, :func:`mapapp.i18n.local_time`)."""
    return local_time(iso)


def page_config(detail: dict) -> dict:
    """What static/js/review/concern.js needs: the concern, API URLs, map view, CSRF token."""
    from mapapp.capture import client_config

    config = client_config()
    return {
        "concern": detail,
        "api": {
            "concern": url_for("review.api_concern", concern_id=detail["id"]),
            "status": url_for("review.api_concern_status", concern_id=detail["id"]),
            "move": url_for("review.api_move_finding", finding_id=PLACEHOLDER).replace(str(PLACEHOLDER), "{id}"),
            "districts": config["api"]["districts"],
        },
        "participant_actions": list(trail.PARTICIPANT_ACTIONS),
        "tiles": config["tiles"],
        "center": [detail["location"]["lat"], detail["location"]["lon"]],
        "zoom": 17,
        "csrf_token": generate_csrf(),
    }


@bp.get("/review/concerns")
@team_required
def concerns_page():
    status = request.args.get("status") or None
    if status not in CONCERN_STATUSES:
        status = None
    rows = concerns.list_concerns(db.session, visible_categories=categories_of(db.session, current_user),
                                  status=status)
    return render_template("review/concerns.html", concerns=rows, status=status, statuses=status_labels(),
                           when=when)


@bp.get("/review/concerns/<uuid:concern_id>")
@team_required
def concern_page(concern_id):
    try:
        detail = concerns.concern_detail(db.session, concern_id)
        require_category(db.session, current_user, detail["category"])
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    others = [row for row in concerns.list_concerns(
        db.session, visible_categories=categories_of(db.session, current_user)) if row["id"] != detail["id"]]
    finding_ids = [f["properties"]["id"] for f in detail["findings"]["features"]]
    sent_with = client_fields(db.session, finding_ids)
    trails = moderation_history.trails(db.session, finding_ids)
    return render_template(
        "review/concern.html", concern=detail, config=page_config(detail), others=others, sent_with=sent_with,
        statuses=status_labels(), describe=describe, who=who, shows_note=shows_note, when=when,
        public_message_max=concerns.PUBLIC_MESSAGE_MAX_LENGTH, trails=trails,
    )
