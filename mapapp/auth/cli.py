"""``mapapp users``: create and list accounts (organisers and team members)."""
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

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        account = domain.create_user(db.session, username, password, display_name=display_name, role=role)
    except ValidationFailed as exc:
        details = "; ".join(f"{field}: {problem}" for field, problem in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from None
    click.echo(f"created {account.role} '{account.username}' (id {account.id})")


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
