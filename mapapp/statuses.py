"""The statuses of findings and concerns: their codes in workflow order, the workflow, their labels.

The one place that names them: the schema's CHECK constraints, the filters, the review pages,
the exports, the scripts' texts (``mapapp.i18n.js_strings``) and the GeoReport feed all read this
module. The labels are German msgids: pages and the API show them translated
(:func:`status_labels`, the Jinja global ``status_labels``), the reports for officials and
the GIS files in German (``mapapp.exports.report_data.status_label``, ``selection.status_label_sql``).
"""
from __future__ import annotations

from flask_babel import gettext, lazy_gettext


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown.

    The one marker of the app (the scripts' texts and the database labels use it too); it lives
    here because this module imports nothing of the app, so every vocabulary can use it.
    """
    return message


FINDING_STATUSES = ("new", "in_review", "confirmed", "handed_over", "resolved", "rejected")
CONCERN_STATUSES = FINDING_STATUSES + ("duplicate",)
# GeoReport's ``open``/``closed``: still being worked on, or done with.
OPEN_STATUSES = ("new", "in_review", "confirmed", "handed_over")
CLOSED_STATUSES = ("resolved", "rejected", "duplicate")

# Whether a finding's free text or a photo may be shown publicly (MAPAPP_MODERATION):
# waiting for a team member, approved, or hidden (kept for the team, never public).
MODERATION_STATES = ("pending", "approved", "hidden")

# The workflow: each status and the statuses it may change to. Rejected and duplicate can
# be reached from every open status; a rejected concern may be reopened for review.
TRANSITIONS = {
    "new": ("in_review", "rejected", "duplicate"),
    "in_review": ("confirmed", "rejected", "duplicate"),
    "confirmed": ("handed_over", "rejected", "duplicate"),
    "handed_over": ("resolved", "rejected", "duplicate"),
    "resolved": (),
    "rejected": ("in_review",),
    "duplicate": (),
}

# Each status's label in German, the msgid of its translations; in CONCERN_STATUSES' order.
LABELS = {
    "new": N_("Neu"),
    "in_review": N_("In Prüfung"),
    "confirmed": N_("Bestätigt"),
    "handed_over": N_("Übergeben"),
    "resolved": N_("Erledigt"),
    "rejected": N_("Abgelehnt"),
    "duplicate": N_("Doppelt gemeldet"),
}
# The labels translated when rendered, for templates (a Jinja global).
LAZY_LABELS = {code: lazy_gettext(label) for code, label in LABELS.items()}


def status_labels() -> dict[str, str]:
    """The statuses' labels in the request's language, in workflow order."""
    return {code: gettext(label) for code, label in LABELS.items()}
