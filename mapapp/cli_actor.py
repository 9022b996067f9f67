"""Who a command-line action is in the audit trail: ``--as USER`` or the OS user as ``cli:<name>``.

Every ``mapapp`` command that changes data and writes an audit entry takes ``--as USER``
(:func:`as_option`) and hands :func:`resolve`'s :class:`Actor` to the domain function: with
``--as`` the entry carries that account (and ``cli:<username>``), without it the OS user who
ran the command (``getpass.getuser()``), so no entry is left anonymous.
"""
from __future__ import annotations

import getpass
from dataclasses import dataclass

import click

PREFIX = "cli:"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str  # "cli:<account or OS user>", stored in concern_events.actor


def as_option(func):
    """The ``--as USER`` option (an existing account name), passed as ``as_user``."""
    return click.option("--as", "as_user", metavar="USER", default=None,
                        help="Record this account as the one who acted (default: the OS user as cli:NAME).")(func)


def os_user() -> str:
    """The OS user running the command; "unknown" when the system cannot say (no passwd entry)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def resolve(session, as_user: str | None) -> Actor:
    """The actor of this command: the account ``as_user`` (ClickException naming it when unknown), else the OS user."""
    from mapapp.auth.users import find_user

    if not as_user:
        return Actor(None, PREFIX + os_user())
    account = find_user(session, as_user)
    if account is None:
        raise click.ClickException(f"no account '{as_user}' for --as (see `mapapp users list`)")
    return Actor(account.id, PREFIX + account.username)
