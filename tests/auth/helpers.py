"""Signing in through the real login form."""
import re
from contextlib import contextmanager

from mapapp.auth import users
from mapapp.db import db

PASSWORD = "lange-genug-2026"


def csrf_token(html: str) -> str:
    """The form's CSRF token ('' when the page has none: CSRF is off unless ``csrf_enabled``)."""
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    return match.group(1) if match else ""


def make_organiser(session, username="orga", password=PASSWORD):
    return users.create_user(session, username, password, display_name="Orga Nisatorin")


def log_in(client, username="orga", password=PASSWORD, next_url=None):
    page = client.get("/login")
    data = {"username": username, "password": password, "csrf_token": csrf_token(page.text)}
    return client.post("/login" + (f"?next={next_url}" if next_url else ""), data=data)


@contextmanager
def database(app):
    """The database session in an app context of its own, closed before the next request.

    Tests that send requests while the ``session`` fixture's app context is open share it (and
    Flask's ``g``: Flask-Login's cached user, the chosen language) between requests and clients.
    """
    with app.app_context():
        yield db.session
        db.session.remove()


def make_account(app, username="orga", role="organiser", password=PASSWORD):
    with database(app) as session:
        return users.create_user(session, username, password, display_name="Orga Nisatorin", role=role)


def can_sign_in(app, username, password) -> bool:
    with database(app) as session:
        return users.authenticate(session, username, password) is not None
