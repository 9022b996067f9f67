"""The organiser's accounts and teams pages: lists, create forms, members, CSRF."""
import re

from mapapp.auth import users
from mapapp.db import db
from mapapp.review import teams
from tests.auth.helpers import PASSWORD, csrf_token, log_in
from tests.factories import make_team, make_user


def signed_in(client, session):
    make_user(session, "orga", display_name="Orga Nisatorin")
    log_in(client)
    return client


def test_pages_are_linked_from_the_organiser_header(client, session):
    page = signed_in(client, session).get("/organiser/")
    assert 'href="/organiser/users"' in page.text and 'href="/organiser/teams"' in page.text
    assert 'href="/organiser/" aria-current="page"' in page.text


def test_users_page_lists_accounts_with_role_and_teams(client, session):
    signed_in(client, session)
    rita = make_user(session, "rita", role="team_member", display_name="Rita Rad")
    make_team(session, "Radverkehr", ["cycle_path"], members=[rita.id])
    page = client.get("/organiser/users")
    assert page.status_code == 200
    row = re.search(rf'<tr data-user-id="{rita.id}">(.*?)</tr>', page.text, re.S).group(1)
    assert "rita" in row and "Rita Rad" in row and "Teammitglied" in row and "Radverkehr" in row
    assert 'name="password"' in page.text and 'autocomplete="new-password"' in page.text


def test_create_a_team_member_account(client, session):
    signed_in(client, session)
    response = client.post("/organiser/users", data={
        "username": "Udo", "display_name": "Udo Umbau", "role": "team_member", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/organiser/users"
    account = users.authenticate(session, "udo", PASSWORD)
    assert (account.role, account.display_name) == ("team_member", "Udo Umbau")
    assert "Das Konto „udo“ ist angelegt." in client.get("/organiser/users").text


def test_create_account_shows_errors_at_the_fields(client, session):
    signed_in(client, session)
    taken = client.post("/organiser/users", data={"username": "orga", "role": "organiser", "password": PASSWORD})
    assert taken.status_code == 422 and "Diesen Benutzernamen gibt es schon." in taken.text
    bad = client.post("/organiser/users", data={"username": "x y", "role": "boss", "password": "kurz"})
    assert bad.status_code == 422
    assert "mindestens 10 Zeichen" in bad.text and 'aria-invalid="true"' in bad.text
    assert [a.username for a in users.list_users(session)] == ["orga"]


def test_create_a_team_and_manage_its_members(client, session):
    signed_in(client, session)
    rita = make_user(session, "rita", role="team_member")
    page = client.get("/organiser/teams")
    assert page.status_code == 200 and 'type="checkbox"' in page.text and 'value="cycle_path"' in page.text

    created = client.post("/organiser/teams", data={"name": "Radverkehr", "categories": ["cycle_path", "barrier"]})
    assert created.status_code == 302
    [team] = teams.list_teams(session)
    assert (team.name, team.categories) == ("Radverkehr", ["barrier", "cycle_path"])

    page = client.get("/organiser/teams")
    assert "Das Team „Radverkehr“ ist angelegt." in page.text
    assert f'<option value="{rita.id}">rita</option>' in page.text

    assert client.post(f"/organiser/teams/{team.id}/members",
                       data={f"team-{team.id}-member-user_id": rita.id}).status_code == 302
    assert [m.username for m in teams.get_team(session, team.id).members] == ["rita"]
    page = client.get("/organiser/teams")
    assert "Aus dem Team entfernen" in page.text and f'<option value="{rita.id}">' not in page.text

    assert client.post(f"/organiser/teams/{team.id}/categories",
                       data={f"team-{team.id}-categories-categories": ["noise"]}).status_code == 302
    assert teams.get_team(session, team.id).categories == ["noise"]

    assert client.post(f"/organiser/teams/{team.id}/members/{rita.id}/remove").status_code == 302
    assert teams.get_team(session, team.id).members == []


def test_team_form_errors(client, session):
    signed_in(client, session)
    make_team(session, "Radverkehr", ["cycle_path"])
    duplicate = client.post("/organiser/teams", data={"name": "radverkehr", "categories": ["noise"]})
    assert duplicate.status_code == 422 and "Ein Team mit diesem Namen gibt es schon." in duplicate.text
    empty = client.post("/organiser/teams", data={"name": "Lärm"})
    assert empty.status_code == 422 and "Bitte mindestens eine der angebotenen Kategorien wählen." in empty.text
    assert len(teams.list_teams(session)) == 1


def test_organisers_cannot_join_teams(client, session):
    signed_in(client, session)
    orga = users.find_user(session, "orga")
    team = make_team(session, "Radverkehr", ["cycle_path"])
    response = client.post(f"/organiser/teams/{team.id}/members",
                           data={f"team-{team.id}-member-user_id": orga.id}, follow_redirects=True)
    assert "Nur Konten mit der Rolle Teammitglied" in response.text
    assert teams.get_team(session, team.id).members == []


def test_unknown_team_is_404(client, session):
    signed_in(client, session)
    assert client.post("/organiser/teams/999999/members", data={}).status_code == 404
    assert client.post("/organiser/teams/999999/categories", data={}).status_code == 404


def test_csrf_is_enforced_on_the_new_forms(app, client, csrf_enabled):
    # Requests run outside the test's app context here: one shared context would keep the
    # token of the login request in ``g`` after sign-in cleared it from the session.
    with app.app_context():
        make_user(db.session, "orga")
        rita = make_user(db.session, "rita", role="team_member")
        udo = make_user(db.session, "udo", role="team_member")
        team = make_team(db.session, "Radverkehr", ["cycle_path"], members=[rita.id])
    log_in(client)
    categories, member = f"team-{team.id}-categories", f"team-{team.id}-member"
    posts = [  # (url, data, the prefix of the form's token field)
        ("/organiser/users", {"username": "neu", "role": "organiser", "password": PASSWORD}, ""),
        ("/organiser/teams", {"name": "Lärm", "categories": ["noise"]}, ""),
        (f"/organiser/teams/{team.id}/categories", {f"{categories}-categories": ["noise"]}, categories + "-"),
        (f"/organiser/teams/{team.id}/members", {f"{member}-user_id": udo.id}, member + "-"),
        (f"/organiser/teams/{team.id}/members/{rita.id}/remove", {}, ""),
    ]
    for url, data, _prefix in posts:
        assert client.post(url, data=data).status_code == 400, url

    page = client.get("/organiser/teams").text
    token = csrf_token(page)
    for url, data, prefix in posts:
        assert f'name="{prefix}csrf_token"' in page
        assert client.post(url, data={**data, f"{prefix}csrf_token": token}).status_code == 302, url
    with app.app_context():
        assert users.find_user(db.session, "neu").role == "organiser"
        assert [(t.name, t.categories, [m.username for m in t.members]) for t in teams.list_teams(db.session)] == [
            ("Lärm", ["noise"], []), ("Radverkehr", ["noise"], ["udo"])]
