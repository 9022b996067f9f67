"""Signing in and out; organiser pages are closed to everyone else; CSRF on forms, not on the API."""
import pytest

from tests.auth.helpers import PASSWORD, csrf_token, log_in, make_organiser
from tests.factories import finding_payload


def test_organiser_pages_send_anonymous_visitors_to_login(client):
    for url in ("/organiser/", "/organiser/walks/new"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_login_and_logout(client, session):
    make_organiser(session)
    response = log_in(client, next_url="/organiser/walks/new")
    assert response.status_code == 302
    assert response.headers["Location"] == "/organiser/walks/new"
    page = client.get("/organiser/")
    assert page.status_code == 200 and "Orga Nisatorin" in page.text

    assert client.post("/logout", data={"csrf_token": csrf_token(page.text)}).status_code == 302
    assert client.get("/organiser/").status_code == 302


def test_wrong_password_fails(client, session):
    make_organiser(session)
    response = log_in(client, password=PASSWORD + "!")
    assert response.status_code == 200
    assert "stimmt nicht" in response.text
    assert client.get("/organiser/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_login_never_redirects_off_site(client, session, target):
    make_organiser(session)
    response = log_in(client, next_url=target)
    assert response.headers["Location"] == "/organiser/"


def test_session_cookie_flags(client, session):
    make_organiser(session)
    cookie = log_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_is_secure_when_configured(app, client, session):
    make_organiser(session)
    app.config["SESSION_COOKIE_SECURE"] = True
    try:
        cookie = log_in(client).headers["Set-Cookie"]
    finally:
        app.config["SESSION_COOKIE_SECURE"] = False
    assert "Secure" in cookie


def test_csrf_is_enforced_on_the_login_form(client, session, csrf_enabled):
    make_organiser(session)
    client.get("/login")
    refused = client.post("/login", data={"username": "orga", "password": PASSWORD})
    assert refused.status_code == 400 and "Bitte noch einmal versuchen" in refused.text
    assert client.get("/organiser/").status_code == 302
    assert log_in(client).status_code == 302


def test_logout_needs_the_csrf_token(client, session, csrf_enabled):
    make_organiser(session)
    log_in(client)
    assert client.post("/logout").status_code == 400
    assert client.get("/organiser/").status_code == 200


def test_json_api_is_not_subject_to_csrf(client, csrf_enabled):
    response = client.post("/api/findings", json=finding_payload())
    assert response.status_code == 201


def test_login_page_says_why_after_a_redirect(client):
    page = client.get("/organiser/", follow_redirects=True)
    assert page.status_code == 200 and "Bitte melde dich an" in page.text


@pytest.mark.parametrize("target", [
    "/organiser/\r\nSet-Cookie: x=1", "/review/\n", "/\r", "/\t/evil.example", "/ /evil.example",
    "/\x00", "/\x7f", "/\u2028/evil.example", "/\x85", "\n/organiser/", "/" + "a" * 3000, "http:/evil.example",
    "/\\/evil.example", "https:evil.example", "/%0d%0aSet-Cookie:x=1",
])
def test_a_next_with_control_characters_or_whitespace_is_dropped_never_a_500(client, session, target):
    make_organiser(session)
    client.get("/login")
    response = client.post("/login", query_string={"next": target},
                           data={"username": "orga", "password": PASSWORD})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location and "evil.example" not in location
    if target == "/%0d%0aSet-Cookie:x=1":  # percent-encoded in the target itself: a harmless path
        assert location == target
    else:
        assert location == "/organiser/"


def test_a_plain_next_is_still_followed(client, session):
    make_organiser(session)
    response = log_in(client, next_url="/organiser/walks/new%3Fx%3D1%25202")
    assert response.headers["Location"] == "/organiser/walks/new?x=1%202"
