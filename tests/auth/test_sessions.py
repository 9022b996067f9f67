"""Signed-in sessions end on the server: logout, a new password and locking an account void every
cookie of that account issued before; idle and absolute lifetimes end a session by themselves.

These tests keep no app context open while they send requests (no ``session`` fixture): each
request then has its own, as in production; a shared one would share Flask-Login's cached user
between requests and clients.
"""
import pytest

from mapapp.auth import SEEN_AT, SIGNED_IN_AT
from tests.auth.helpers import PASSWORD, can_sign_in, csrf_token, log_in, make_account

NEW_PASSWORD = "kaktus-gießkanne-nordwind"
SIGNED_IN_URLS = ["/review/", "/api/review/concerns", "/organiser/"]


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def client_with_cookie(app, value: str):
    """A second browser that holds a copy of the session cookie (say, one an attacker took)."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def assert_signed_in(client):
    for url in SIGNED_IN_URLS:
        assert client.get(url).status_code == 200, url


def assert_signed_out(client):
    """Pages send to the login form; the JSON API answers 401 in JSON."""
    for url in SIGNED_IN_URLS:
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code == 401, url
            assert response.is_json and response.json["error"] == "unauthorized"
        else:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login"), url


def test_a_cookie_copied_before_logout_no_longer_works_after_it(app, client):
    make_account(app)
    log_in(client)
    copied_value = session_cookie(client)
    copied = client_with_cookie(app, copied_value)
    assert_signed_in(copied)

    page = client.get("/organiser/")
    assert client.post("/logout", data={"csrf_token": csrf_token(page.text)}).status_code == 302
    assert_signed_out(client)
    assert_signed_out(copied)
    # signing in again works, with a new cookie; the old one stays dead
    log_in(client)
    assert_signed_in(client)
    assert_signed_out(client_with_cookie(app, copied_value))


def test_logout_ends_the_sessions_on_other_devices_too(app):
    make_account(app)
    laptop, phone = app.test_client(), app.test_client()
    log_in(laptop)
    log_in(phone)
    page = laptop.get("/organiser/")
    laptop.post("/logout", data={"csrf_token": csrf_token(page.text)})
    assert_signed_out(phone)


def test_changing_the_own_password_ends_other_sessions_and_keeps_this_one(app, client):
    make_account(app)
    log_in(client)
    copied = client_with_cookie(app, session_cookie(client))

    page = client.get("/password")
    assert page.status_code == 200 and 'autocomplete="new-password"' in page.text
    changed = client.post("/password", data={"csrf_token": csrf_token(page.text), "current_password": PASSWORD,
                                             "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert changed.status_code == 302
    assert_signed_in(client)
    assert_signed_out(copied)
    assert can_sign_in(app, "orga", NEW_PASSWORD)
    assert not can_sign_in(app, "orga", PASSWORD)


def test_the_own_password_needs_the_current_one(app, client):
    make_account(app)
    log_in(client)
    refused = client.post("/password", data={"current_password": "falsch-geraten-123",
                                             "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    assert refused.status_code == 422 and "bisherige Passwort stimmt nicht" in refused.text
    assert can_sign_in(app, "orga", PASSWORD)


def test_the_password_page_is_for_signed_in_users_only(client):
    response = client.get("/password")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_an_organiser_setting_a_password_signs_that_account_out(app, client):
    make_account(app)
    rita = make_account(app, "rita", role="team_member")
    ritas_browser = app.test_client()
    log_in(ritas_browser, "rita")
    assert ritas_browser.get("/review/").status_code == 200

    log_in(client)
    response = client.post(f"/organiser/users/{rita.id}/password",
                           data={f"user-{rita.id}-password-password": NEW_PASSWORD})
    assert response.status_code == 302
    assert "neues Passwort" in client.get("/organiser/users").text
    assert ritas_browser.get("/review/").status_code == 302
    assert ritas_browser.get("/api/review/concerns").status_code == 401
    assert can_sign_in(app, "rita", NEW_PASSWORD)


def test_the_cli_setting_a_password_signs_the_account_out(app, client):
    make_account(app)
    log_in(client)
    result = app.test_cli_runner().invoke(args=["users", "set-password", "orga", "--password-stdin"],
                                          input=NEW_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert_signed_out(client)
    assert can_sign_in(app, "orga", NEW_PASSWORD)


def test_locking_an_account_ends_its_sessions_and_unlocking_does_not_revive_them(app, client):
    make_account(app)
    rita = make_account(app, "rita", role="team_member")
    ritas_browser = app.test_client()
    log_in(ritas_browser, "rita")
    copied = session_cookie(ritas_browser)

    log_in(client)
    assert client.post(f"/organiser/users/{rita.id}/state",
                       data={f"user-{rita.id}-state-active": "0"}).status_code == 302
    assert "gesperrt" in client.get("/organiser/users").text
    assert ritas_browser.get("/review/").status_code == 302
    assert log_in(app.test_client(), "rita").status_code == 200  # the form again: no sign-in

    client.post(f"/organiser/users/{rita.id}/state", data={f"user-{rita.id}-state-active": "1"})
    assert client_with_cookie(app, copied).get("/review/").status_code == 302
    assert log_in(app.test_client(), "rita").status_code == 302


def test_the_cli_locks_and_unlocks(app, client):
    make_account(app)
    log_in(client)
    runner = app.test_cli_runner()
    locked = runner.invoke(args=["users", "lock", "ORGA"])
    assert locked.exit_code == 0 and "locked 'orga'" in locked.output
    assert_signed_out(client)
    assert "inactive" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "unlock", "orga"]).exit_code == 0
    assert log_in(client).status_code == 302
    assert runner.invoke(args=["users", "lock", "niemand"]).exit_code != 0


def test_organisers_cannot_lock_themselves_out(app, client):
    me = make_account(app)
    log_in(client)
    assert client.post(f"/organiser/users/{me.id}/state", data={f"user-{me.id}-state-active": "0"}).status_code == 403
    assert client.post(f"/organiser/users/{me.id}/password",
                       data={f"user-{me.id}-password-password": NEW_PASSWORD}).status_code == 403
    assert_signed_in(client)


def shift_session(client, key: str, seconds: int) -> None:
    """Move one of the session's times into the past (instead of waiting)."""
    with client.session_transaction() as stored:
        stored[key] -= seconds


def test_an_idle_session_ends(app, client):
    make_account(app)
    log_in(client)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    shift_session(client, SEEN_AT, idle - 120)
    assert_signed_in(client)  # still within the idle time, and the request counts as activity
    shift_session(client, SEEN_AT, idle - 60)
    assert_signed_in(client)
    shift_session(client, SEEN_AT, idle + 1)
    assert_signed_out(client)


def test_the_idle_time_is_configurable(app, client):
    make_account(app)
    log_in(client)
    shift_session(client, SEEN_AT, 11 * 60)
    app.config["SESSION_IDLE_MINUTES"] = 10
    try:
        assert_signed_out(client)
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 120


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(app, client):
    make_account(app)
    log_in(client)
    max_age = app.config["SESSION_MAX_HOURS"] * 3600
    shift_session(client, SIGNED_IN_AT, max_age - 60)
    assert_signed_in(client)
    shift_session(client, SIGNED_IN_AT, 61)
    assert_signed_out(client)
    response = client.get("/organiser/", follow_redirects=True)
    assert "Bitte melde dich an" in response.text


@pytest.mark.parametrize("user_id", ["1", "abc", "1:x", ""])
def test_sessions_from_before_or_made_up_are_refused(app, client, user_id):
    account = make_account(app)
    with client.session_transaction() as stored:
        stored["_user_id"] = user_id.replace("1", str(account.id))
        stored["_fresh"] = True
    assert_signed_out(client)


def test_a_session_without_times_is_refused(app, client):
    make_account(app)
    log_in(client)
    with client.session_transaction() as stored:
        del stored[SIGNED_IN_AT]
    assert_signed_out(client)


def test_there_are_no_remember_me_cookies(app, client):
    make_account(app)
    response = log_in(client)
    assert "remember_token" not in response.headers.get("Set-Cookie", "")
