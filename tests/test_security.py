"""Security headers on every response; client address and scheme behind a trusted proxy."""
import pytest
from flask import request

from mapapp.db import db
from mapapp.security import content_security_policy
from tests.conftest import make_app


def test_pages_carry_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert client.get("/").headers["X-Content-Type-Options"] == "nosniff"


def test_tile_host_is_allowed_for_images_only():
    policy = content_security_policy("https://tile.openstreetmap.org/{z}/{x}/{y}.png")
    assert "img-src 'self' data: blob: https://tile.openstreetmap.org" in policy
    assert "connect-src 'self';" in policy


def test_headers_for_permissions_and_opener(client):
    headers = client.get("/").headers
    assert "geolocation=(self)" in headers["Permissions-Policy"]
    assert "camera=(self)" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Referrer-Policy"] == "same-origin"


def test_hsts_only_over_https(app):
    plain = app.test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    secure = app.test_client().get("/", base_url="https://mapapp.example")
    assert secure.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_forwarded_headers_are_ignored_without_proxy_fix(app):
    assert app.config["PROXY_FIX"] == 0
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


@pytest.fixture
def proxied_app(app):
    """An app behind one trusted proxy, with a view that tells the address it sees."""
    proxied = make_app(app.config["SQLALCHEMY_DATABASE_URI"], PROXY_FIX=1)
    proxied.add_url_rule("/test-remote-addr", "test_remote_addr", lambda: request.remote_addr)
    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def test_behind_a_trusted_proxy_the_client_address_and_scheme_count(proxied_app, app):
    client = proxied_app.test_client()
    forwarded = {"X-Forwarded-For": "198.51.100.4", "X-Forwarded-Proto": "https"}
    response = client.get("/test-remote-addr", headers=forwarded)
    assert response.text == "198.51.100.4"
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # only the last hop is trusted: an address the client wrote itself further left is not taken
    spoofed = client.get("/test-remote-addr", headers={"X-Forwarded-For": "10.9.9.9, 198.51.100.4"})
    assert spoofed.text == "198.51.100.4"
    assert client.get("/test-remote-addr").text == "127.0.0.1"


def test_without_proxy_fix_the_forwarded_address_is_not_believed(app):
    plain = make_app(app.config["SQLALCHEMY_DATABASE_URI"])
    plain.add_url_rule("/test-remote-addr", "test_remote_addr", lambda: request.remote_addr)
    response = plain.test_client().get("/test-remote-addr", headers={"X-Forwarded-For": "198.51.100.4"})
    assert response.text == "127.0.0.1"
    with plain.app_context():
        db.engine.dispose()
