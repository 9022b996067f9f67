"""``mapapp teams``: create teams, give them members, list them."""
import click
from flask.cli import AppGroup

from mapapp.cli.helpers import account_named, list_command, refused

teams = AppGroup("teams", help="Teams that review the findings of their categories.")


@teams.command("create")
@click.argument("name")
@click.option("--category", "categories", multiple=True, required=True, metavar="SLUG",
              help="A category the team reviews (repeat for several).")
def teams_create(name, categories):
    """Create the team NAME reviewing the given categories."""
    from mapapp.db import db
    from mapapp.review import teams as domain

    with refused():
        team = domain.create_team(db.session, name, categories)
    click.echo(f"created team '{team.name}' (id {team.id}): {', '.join(team.categories)}")


@teams.command("add-member")
@click.argument("team")
@click.argument("username")
def teams_add_member(team, username):
    """Add the team-member account USERNAME to the team TEAM (its name)."""
    from mapapp.db import db
    from mapapp.review import teams as domain

    found = domain.find_team(db.session, team)
    if found is None:
        raise click.ClickException(f"there is no team called '{team}' (see `mapapp teams list`)")
    account = account_named(db.session, username)
    with refused():
        domain.add_member(db.session, found.id, account.id)
    click.echo(f"'{account.username}' is a member of '{found.name}'")


def _team_lines(team) -> str:
    members = ", ".join(member.username for member in team.members) or "-"
    return f"{team.name}\n  categories: {', '.join(team.categories) or '-'}\n  members: {members}"


list_command(teams, "mapapp.review.teams:list_teams", _team_lines,
             "no teams yet: create one with `mapapp teams create NAME --category SLUG`",
             help="List the teams with their categories and members.")
