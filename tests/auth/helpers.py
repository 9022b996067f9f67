"""Signing in through the real login form."""
import re

from mapapp.auth import users

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
