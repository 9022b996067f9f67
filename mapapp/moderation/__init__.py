"""Moderation before publication: the queue in the review pages and what the public may see.

- :mod:`~mapapp.moderation.visibility`: the SQL that decides what of a finding's free text and
  photos the public sees (every public endpoint builds on it);
- :mod:`~mapapp.moderation.settings`: ``MAPAPP_MODERATION`` (pre, post, off), checked at start-up;
- :mod:`~mapapp.moderation.intake`: the state new and changed text and photos start in;
- :mod:`~mapapp.moderation.queue` and :mod:`~mapapp.moderation.actions`: the queue and the
  decisions on it (approve, hide, unhide, edit the public text), each on the trail;
- :mod:`~mapapp.moderation.routes`: the blueprint ``moderation``, the page ``/review/moderation``
  and its JSON under ``/api/review/moderation/`` (team members and organisers, CSRF-checked).

This module imports nothing heavy: the findings' SQL (``mapapp.findings``) reads
``visibility`` while the review package, which the routes need, reads the findings' SQL, so the
blueprint lives in ``routes`` and ``create_app`` imports it from there.
"""
from mapapp.moderation import settings


def init_app(app) -> None:
    """Check the mode at start-up (a clear error for a wrong one)."""
    settings.init_app(app)
