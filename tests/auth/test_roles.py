"""Roles: organisers run the organiser pages; team members sign in but are kept out of them."""
import pytest

from mapapp.auth import users
from mapapp.errors import ValidationFailed
from tests.auth.helpers import log_in
from tests.factories import make_user

ORGANISER_PAGES = ["/organiser/", "/organiser/walks/new", "/organiser/users", "/organiser/teams"]


def test_team_members_may_not_open_organiser_pages(client, session):
    make_user(session, "rita", role="team_member")
    response = log_in(client, "rita")
    assert response.status_code == 302 and response.headers["Location"] == "/review/"
    for url in ORGANISER_PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post("/organiser/teams", data={"name": "Eigenes Team", "categories": "noise"}).status_code == 403
    assert client.post("/organiser/users", data={"username": "neu", "role": "organiser",
                                                 "password": "lange-genug-2026"}).status_code == 403
    assert users.find_user(session, "neu") is None


def test_organisers_land_on_their_pages(client, session):
    make_user(session, "orga")
    assert log_in(client).headers["Location"] == "/organiser/"
    for url in ORGANISER_PAGES:
        assert client.get(url).status_code == 200, url


def test_roles_are_checked(session):
    with pytest.raises(ValidationFailed) as err:
        make_user(session, "x1", role="admin")
    assert "role" in err.value.fields


def test_find_user(session):
    make_user(session, "rita", role="team_member")
    assert users.find_user(session, " RITA ").role == "team_member"
    assert users.find_user(session, "nobody") is None
