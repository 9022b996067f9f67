"""``mapapp teams``: create teams, give them members, list them."""
import click
from flask.cli import AppGroup

teams = AppGroup("teams", help="Teams that review the findings of their categories.")


def _fail(exc) -> click.ClickException:
    details = "; ".join(f"{field}: {problem}" for field, problem in exc.fields.items())
    return click.ClickException(f"{exc.message} {details}".strip())


@teams.command("create")
@click.argument("name")
@click.option("--category", "categories", multiple=True, required=True, metavar="SLUG",
              help="A category the team reviews (repeat for several).")
def teams_create(name, categories):
    """Create the team NAME reviewing the given categories."""
    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.review import teams as domain

    try:
        team = domain.create_team(db.session, name, categories)
    except DomainError as exc:
        raise _fail(exc) from None
    click.echo(f"created team '{team.name}' (id {team.id}): {', '.join(team.categories)}")


@teams.command("add-member")
@click.argument("team")
@click.argument("username")
def teams_add_member(team, username):
    """Add the team-member account USERNAME to the team TEAM (its name)."""
    from mapapp.auth import users
    from mapapp.db import db
    from mapapp.errors import DomainError
    from mapapp.review import teams as domain

    found = domain.find_team(db.session, team)
    if found is None:
        raise click.ClickException(f"there is no team called '{team}' (see `mapapp teams list`)")
    account = users.find_user(db.session, username)
    if account is None:
        raise click.ClickException(f"there is no account '{username}' (see `mapapp users list`)")
    try:
        domain.add_member(db.session, found.id, account.id)
    except DomainError as exc:
        raise _fail(exc) from None
    click.echo(f"'{account.username}' is a member of '{found.name}'")


@teams.command("list")
def teams_list():
    """List the teams with their categories and members."""
    from mapapp.db import db
    from mapapp.review import teams as domain

    found = domain.list_teams(db.session)
    if not found:
        click.echo("no teams yet: create one with `mapapp teams create NAME --category SLUG`")
    for team in found:
        members = ", ".join(member.username for member in team.members) or "-"
        click.echo(f"{team.name}\n  categories: {', '.join(team.categories) or '-'}\n  members: {members}")
