"""Sign-in attempts are limited per remote address; other requests and other tests are not."""
import pytest

from tests.auth.helpers import PASSWORD, log_in
from tests.conftest import make_app
from tests.factories import make_user


@pytest.fixture
def limited_app(app):
    """An app with the limit switched on and lowered to three attempts a minute."""
    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                       LOGIN_RATE_LIMIT="3 per minute")
    yield limited
    with limited.app_context():
        from mapapp.db import db

        db.engine.dispose()


def test_too_many_attempts_get_429_with_a_friendly_page(limited_app, session):
    make_user(session, "orga")
    client = limited_app.test_client()
    for _ in range(3):
        assert log_in(client, password="falsch-geraten-123").status_code == 200
    refused = log_in(client, password=PASSWORD)
    assert refused.status_code == 429
    assert "Zu viele Anmeldeversuche" in refused.text
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/organiser/").status_code == 302  # the right password did not get through

    assert client.get("/login").status_code == 200  # only POSTs count
    other_address = limited_app.test_client()
    other = other_address.post("/login", data={"username": "orga", "password": PASSWORD},
                               environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 302


def test_the_limit_is_off_in_the_other_tests(client, session):
    make_user(session, "orga")
    for _ in range(12):
        assert log_in(client, password="falsch-geraten-123").status_code == 200
    assert log_in(client).status_code == 302


def test_default_limit_and_storage(app):
    assert app.config["LOGIN_RATE_LIMIT"] == "10 per minute; 50 per hour"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
