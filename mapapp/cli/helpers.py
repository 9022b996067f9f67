"""What the ``mapapp`` command groups share: refusals, accounts by name, lists, ``--as USER``.

Every ``mapapp`` command that changes data and writes an audit entry takes ``--as USER``
(:func:`actor_option`) and hands :func:`resolve`'s :class:`Actor` to the domain function: with
``--as`` the entry carries that account (and ``cli:<username>``), without it the OS user who
ran the command (``getpass.getuser()``), so no entry is left anonymous.

A domain refusal becomes one line on stderr and exit code 1 (:func:`refused`), never a traceback.
"""
from __future__ import annotations

import functools
import getpass
import importlib
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable

import click

PREFIX = "cli:"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str  # "cli:<account or OS user>", stored in concern_events.actor


def actor_option(func):
    """The ``--as USER`` option (an existing account name), resolved: the command gets ``actor`` (:func:`resolve`)."""
    @click.option("--as", "as_user", metavar="USER", default=None,
                  help="Record this account as the one who acted (default: the OS user as cli:NAME).")
    @functools.wraps(func)
    def command(*args, as_user, **kwargs):
        from mapapp.db import db

        return func(*args, actor=resolve(db.session, as_user), **kwargs)
    return command


def os_user() -> str:
    """The OS user running the command; "unknown" when the system cannot say (no passwd entry)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def resolve(session, as_user: str | None) -> Actor:
    """The actor of this command: the account ``as_user`` (ClickException naming it when unknown), else the OS user."""
    if not as_user:
        return Actor(None, PREFIX + os_user())
    account = account_named(session, as_user, " for --as")
    return Actor(account.id, PREFIX + account.username)


def account_named(session, username: str, role: str = ""):
    """The account ``username``; a ClickException naming it (and its ``role`` here, e.g. " for --as") when unknown."""
    from mapapp.auth.users import find_user, normalise_username

    account = find_user(session, username)
    if account is None:
        raise click.ClickException(f"no account '{normalise_username(username)}'{role} (see `mapapp users list`)")
    return account


@contextmanager
def refused():
    """Turn a domain refusal (:class:`~mapapp.errors.DomainError`) into one line: message (field: problem; …)."""
    from mapapp.errors import DomainError

    try:
        yield
    except DomainError as exc:
        fields = "; ".join(f"{name}: {problem}" for name, problem in exc.fields.items())
        raise click.ClickException(exc.message + (f" ({fields})" if fields else "")) from None


def echo_lines(items: Iterable, line: Callable[[object], str], empty: str | None = None) -> None:
    """Print ``line(item)`` for each item, or the hint ``empty`` when there is none."""
    items = list(items)
    if not items and empty:
        click.echo(empty)
    for item in items:
        click.echo(line(item).rstrip())


def list_command(group: click.Group, fetch: str, line: Callable[[object], str], empty: str, help: str) -> None:
    """Add ``<group> list``: one ``line(item)`` per item of ``fetch`` ("module:function" taking the session).

    The module is imported when the command runs, as the commands' own imports are.
    """
    module, _sep, function = fetch.partition(":")

    @group.command("list", help=help)
    def list_items():
        from mapapp.db import db

        echo_lines(getattr(importlib.import_module(module), function)(db.session), line, empty)


def by_id_or_name(items: Iterable[dict], wanted: str | None) -> list[dict]:
    """The items (dicts with ``id`` and ``name``) that ``wanted`` names by id or name; all of them without ``wanted``."""
    return [item for item in items if not wanted or wanted in (str(item["id"]), item["name"])]
