"""Issuing and revoking API keys: the organiser page and the ``mapapp apikeys`` commands."""
import re

from sqlalchemy import text

from mapapp.open311 import apikeys
from tests.auth.helpers import log_in
from tests.factories import make_user


def test_organiser_page_shows_a_new_key_once_and_revokes(client, session):
    make_user(session, "orga")
    log_in(client)
    page = client.post("/organiser/api-keys/", data={"name": "Mängelmelder Duisburg"})
    assert page.status_code == 200
    key = re.search(r"data-new-key>([^<]+)<", page.get_data(as_text=True)).group(1)
    assert apikeys.check_key(session, key)
    again = client.get("/organiser/api-keys/").get_data(as_text=True)
    assert key not in again and "Mängelmelder Duisburg" in again
    key_id = session.execute(text("SELECT id FROM api_keys")).scalar()
    assert client.post(f"/organiser/api-keys/{key_id}/revoke").status_code == 302
    session.expire_all()
    assert session.execute(text("SELECT revoked_at IS NOT NULL FROM api_keys")).scalar()
    assert client.post("/organiser/api-keys/", data={"name": " "}).status_code == 422


def test_page_needs_an_organiser(client, session):
    assert client.get("/organiser/api-keys/").status_code == 302
    make_user(session, "team", role="team_member")
    log_in(client, "team")
    assert client.get("/organiser/api-keys/").status_code == 403


def test_page_forms_need_a_csrf_token(client, session, csrf_enabled):
    make_user(session, "orga")
    log_in(client)
    assert client.post("/organiser/api-keys/", data={"name": "x"}).status_code == 400


def test_cli_create_list_revoke(app, session):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["apikeys", "create", "Stadt-App"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    key_id = apikeys.check_key(session, key)
    listed = runner.invoke(args=["apikeys", "list"])
    assert "Stadt-App" in listed.output and key not in listed.output and key[:8] in listed.output
    assert runner.invoke(args=["apikeys", "revoke", str(key_id)]).exit_code == 0
    session.expire_all()
    assert "revoked" in runner.invoke(args=["apikeys", "list"]).output
    assert runner.invoke(args=["apikeys", "revoke", "999999"]).exit_code != 0
