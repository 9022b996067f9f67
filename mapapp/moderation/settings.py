"""The moderation mode (``MAPAPP_MODERATION``) and the state new text and photos start in. No Flask needed.

- ``pre`` (the default): a finding's free text and its photos start ``pending`` and are public
  only once a team member or organiser approved them;
- ``post``: they start ``approved`` (public at once) and can be hidden later;
- ``off``: they start ``approved`` and the review navigation shows no queue.

A finding without free text starts ``approved`` in every mode (there is nothing to moderate).
"""
from __future__ import annotations

from flask import current_app, has_app_context

MODES = ("pre", "post", "off")
DEFAULT_MODE = "pre"


class ModerationConfigError(ValueError):
    """``MODERATION`` holds something other than pre, post or off."""


def check_mode(value) -> str:
    """The mode ``value`` names (case and spaces ignored); ModerationConfigError for anything else."""
    mode = str(value if value is not None else DEFAULT_MODE).strip().lower()
    if mode not in MODES:
        raise ModerationConfigError(
            f"MAPAPP_MODERATION={value!r} is not a moderation mode: use one of {', '.join(MODES)} "
            f"(pre: text and photos public once approved; post: public at once, can be hidden; off: no queue).")
    return mode


def current_mode() -> str:
    """The running app's mode (checked at start-up); the default outside an app."""
    if not has_app_context():
        return DEFAULT_MODE
    return current_app.config.get("MODERATION", DEFAULT_MODE)


def initial_state(mode: str | None = None) -> str:
    """The state new free text and new photos start in under ``mode`` (default: the running app's)."""
    return "pending" if (mode or current_mode()) == "pre" else "approved"


def queue_shown(mode: str | None = None) -> bool:
    """Whether the review navigation links the moderation queue (not in ``off`` mode)."""
    return (mode or current_mode()) != "off"


def init_app(app) -> None:
    """Check ``MODERATION`` at start-up, so a typo stops the app with a clear message."""
    app.config["MODERATION"] = check_mode(app.config.get("MODERATION", DEFAULT_MODE))
