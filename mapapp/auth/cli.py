"""``mapapp users``: create, list, lock and unlock accounts (organisers and team members), set passwords.

A new password must be at least 10 characters, must not contain the username and must not
be easy to guess (mapapp/auth/users.py). Setting a password and locking or unlocking an
account end every session of that account.
"""
import sys

import click
from flask.cli import AppGroup

from mapapp.cli.helpers import account_named, list_command, refused

users = AppGroup("users", help="Accounts of organisers and team members.")
password_stdin_option = click.option(
    "--password-stdin", is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.")


@users.command("create")
@click.argument("username")
@click.option("--display-name", help="Name shown on the organiser pages.")
@click.option("--role", type=click.Choice(["organiser", "team_member"]), default="organiser", show_default=True,
              help="organiser: walks, accounts, teams; team_member: reviews the categories of their teams.")
@password_stdin_option
def users_create(username, display_name, role, password_stdin):
    """Create the account USERNAME; the password is asked for (hidden, twice)."""
    from mapapp.auth import users as domain
    from mapapp.db import db

    password = _read_password(password_stdin)
    with refused():
        account = domain.create_user(db.session, username, password, display_name=display_name, role=role)
    click.echo(f"created {account.role} '{account.username}' (id {account.id})")


def _read_password(from_stdin: bool, prompt: str = "Password") -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


def _account(username: str):
    from mapapp.db import db

    return account_named(db.session, username)


@users.command("set-password")
@click.argument("username")
@password_stdin_option
def users_set_password(username, password_stdin):
    """Give USERNAME a new password (asked for, hidden, twice); its sessions end."""
    from mapapp.auth import users as domain
    from mapapp.db import db

    account = _account(username)
    password = _read_password(password_stdin, "New password")
    with refused():
        domain.set_password(db.session, account.id, password)
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


def _account_line(account) -> str:
    state = "active" if account.active else "inactive"
    return f"{account.username:<20} {account.role:<12} {state:<8} {account.display_name or ''}"


list_command(users, "mapapp.auth.users:list_users", _account_line,
             "no accounts yet: create one with `mapapp users create USERNAME`",
             help="List the accounts: username, role, whether active, display name.")
