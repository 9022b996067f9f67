"""``mapapp users``: create, list, lock and unlock accounts (organisers and team members), set passwords.

A new password must be at least 10 characters, must not contain the username and must not
be easy to guess (mapapp/auth/users.py). Setting a password and locking or unlocking an
account end every session of that account.
"""
import sys

import click
from flask.cli import AppGroup

users = AppGroup("users", help="Accounts of organisers and team members.")


@users.command("create")
@click.argument("username")
@click.option("--display-name", help="Name shown on the organiser pages.")
@click.option("--role", type=click.Choice(["organiser", "team_member"]), default="organiser", show_default=True,
              help="organiser: walks, accounts, teams; team_member: reviews the categories of their teams.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of prompting.")
def users_create(username, display_name, role, password_stdin):
    """Create the account USERNAME; the password is asked for (hidden, twice)."""
    from mapapp.auth import users as domain
    from mapapp.db import db
    from mapapp.errors import ValidationFailed

    password = _read_password(password_stdin)
    try:
        account = domain.create_user(db.session, username, password, display_name=display_name, role=role)
    except ValidationFailed as exc:
        raise _refusal(exc) from None
    click.echo(f"created {account.role} '{account.username}' (id {account.id})")


def _read_password(from_stdin: bool, prompt: str = "Password") -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


def _refusal(exc) -> click.ClickException:
    details = "; ".join(f"{field}: {problem}" for field, problem in exc.fields.items())
    return click.ClickException(f"{exc.message} {details}".strip())


def _account(username: str):
    from mapapp.auth import users as domain
    from mapapp.db import db

    account = domain.find_user(db.session, username)
    if account is None:
        raise click.ClickException(f"no account '{domain.normalise_username(username)}'")
    return account


@users.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input instead of prompting.")
def users_set_password(username, password_stdin):
    """Give USERNAME a new password (asked for, hidden, twice); its sessions end."""
    from mapapp.auth import users as domain
    from mapapp.db import db
    from mapapp.errors import ValidationFailed

    account = _account(username)
    password = _read_password(password_stdin, "New password")
    try:
        domain.set_password(db.session, account.id, password)
    except ValidationFailed as exc:
        raise _refusal(exc) from None
    click.echo(f"new password for '{account.username}'; signed out everywhere")


@users.command("lock")
@click.argument("username")
def users_lock(username):
    """Lock USERNAME: signed out everywhere, and no sign-in until unlocked."""
    from mapapp.auth import users as domain
    from mapapp.db import db

    account = domain.set_active(db.session, _account(username).id, False)
    click.echo(f"locked '{account.username}'; signed out everywhere")


@users.command("unlock")
@click.argument("username")
def users_unlock(username):
    """Unlock USERNAME: it may sign in again."""
    from mapapp.auth import users as domain
    from mapapp.db import db

    account = domain.set_active(db.session, _account(username).id, True)
    click.echo(f"unlocked '{account.username}'")


@users.command("list")
def users_list():
    """List the accounts: username, role, whether active, display name."""
    from mapapp.auth import users as domain
    from mapapp.db import db

    accounts = domain.list_users(db.session)
    if not accounts:
        click.echo("no accounts yet: create one with `mapapp users create USERNAME`")
    for account in accounts:
        state = "active" if account.active else "inactive"
        click.echo(f"{account.username:<20} {account.role:<12} {state:<8} {account.display_name or ''}".rstrip())
