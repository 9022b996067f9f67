"""Teams: creating them, their categories and members; the ``mapapp teams`` commands."""
import pytest

from mapapp.errors import NotFound, ValidationFailed
from mapapp.review import teams
from tests.factories import USER_PASSWORD, make_team, make_user


def run(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def test_create_and_list_teams(session):
    rita = make_user(session, "rita", role="team_member", display_name="Rita Rad")
    team = teams.create_team(session, "  Radverkehr ", ["cycle_path", "barrier", "cycle_path"])
    assert (team.name, team.categories, team.members) == ("Radverkehr", ["barrier", "cycle_path"], [])
    teams.add_member(session, team.id, rita.id)
    teams.add_member(session, team.id, rita.id)  # again: no error, no duplicate
    make_team(session, "Einzelhandel", ["empty_shop"])

    listed = teams.list_teams(session)
    assert [t.name for t in listed] == ["Einzelhandel", "Radverkehr"]
    assert listed[1].members == [teams.Member(id=rita.id, username="rita", display_name="Rita Rad")]
    assert listed[1].members[0].name == "Rita Rad"
    assert teams.find_team(session, "radverkehr").id == team.id


@pytest.mark.parametrize("name, categories, field", [
    ("", ["noise"], "name"),
    ("x" * 121, ["noise"], "name"),
    ("Lärm", [], "categories"),
    ("Lärm", ["noise", "no_such_thing"], "categories"),
])
def test_create_team_validates(session, name, categories, field):
    with pytest.raises(ValidationFailed) as err:
        teams.create_team(session, name, categories)
    assert list(err.value.fields) == [field]
    assert teams.list_teams(session) == []


def test_team_names_are_unique_regardless_of_case(session):
    make_team(session, "Radverkehr", ["cycle_path"])
    with pytest.raises(ValidationFailed) as err:
        teams.create_team(session, "RADVERKEHR", ["noise"])
    assert "name" in err.value.fields
    assert len(teams.list_teams(session)) == 1


def test_set_team_categories(session):
    team = make_team(session, "Radverkehr", ["cycle_path"])
    assert teams.set_team_categories(session, team.id, ["barrier", "lighting"]).categories == ["barrier", "lighting"]
    with pytest.raises(ValidationFailed) as err:
        teams.set_team_categories(session, team.id, ["nope"])
    assert "categories" in err.value.fields
    assert teams.get_team(session, team.id).categories == ["barrier", "lighting"]
    with pytest.raises(NotFound):
        teams.set_team_categories(session, team.id + 1000, ["noise"])


def test_only_team_member_accounts_join_teams(session):
    orga = make_user(session, "orga")
    team = make_team(session, "Radverkehr", ["cycle_path"])
    for user_id in (orga.id, orga.id + 1000):
        with pytest.raises(ValidationFailed) as err:
            teams.add_member(session, team.id, user_id)
        assert "user" in err.value.fields
    assert teams.get_team(session, team.id).members == []


def test_remove_member(session):
    rita = make_user(session, "rita", role="team_member")
    udo = make_user(session, "udo", role="team_member")
    team = make_team(session, "Radverkehr", ["cycle_path"], members=[rita.id, udo.id])
    assert [m.username for m in teams.remove_member(session, team.id, rita.id).members] == ["udo"]
    assert [m.username for m in teams.remove_member(session, team.id, rita.id).members] == ["udo"]
    with pytest.raises(NotFound):
        teams.remove_member(session, team.id + 1000, udo.id)


def test_cli_creates_a_team_member_and_a_team(app, session):
    created = run(app, "users", "create", "rita", "--role", "team_member", "--password-stdin",
                  input=USER_PASSWORD + "\n")
    assert created.exit_code == 0 and "created team_member 'rita'" in created.output

    team = run(app, "teams", "create", "Radverkehr", "--category", "cycle_path", "--category", "barrier")
    assert team.exit_code == 0, team.output
    assert "created team 'Radverkehr'" in team.output

    added = run(app, "teams", "add-member", "radverkehr", "RITA")
    assert added.exit_code == 0, added.output
    session.rollback()
    [stored] = teams.list_teams(session)
    assert stored.categories == ["barrier", "cycle_path"] and [m.username for m in stored.members] == ["rita"]

    listing = run(app, "teams", "list")
    assert "Radverkehr" in listing.output and "barrier, cycle_path" in listing.output and "rita" in listing.output


def test_cli_explains_mistakes_in_one_line(app, session):
    make_user(session, "orga")
    make_team(session, "Radverkehr", ["cycle_path"])
    cases = [
        (["teams", "create", "Lärm", "--category", "nope"], "unknown category: nope"),
        (["teams", "create", "Radverkehr", "--category", "noise"], "already"),
        (["teams", "add-member", "Jugend", "orga"], "no team called 'Jugend'"),
        (["teams", "add-member", "Radverkehr", "nobody"], "no account 'nobody'"),
        (["teams", "add-member", "Radverkehr", "orga"], "team_member"),
        (["users", "create", "x1", "--role", "admin", "--password-stdin"], "Invalid value for '--role'"),
    ]
    for args, message in cases:
        result = run(app, *args, input=USER_PASSWORD + "\n")
        assert result.exit_code != 0, args
        assert message in result.output and "Traceback" not in result.output, result.output


def test_cli_lists_no_teams(app):
    assert "no teams yet" in run(app, "teams", "list").output
