"""Security headers on every response; client address and scheme behind a trusted proxy; the host
names the app answers to and the absolute links it builds; no caching of signed-in pages; no
versions in the Server header."""
import http.client
import json
import re
import threading
from contextlib import contextmanager

import pytest
from flask import request
from sqlalchemy import text
from werkzeug.serving import make_server

from mapapp.cli import host_hint
from mapapp.db import db
from mapapp.security import RequestHandler, content_security_policy, trusted_hosts
from tests.auth.helpers import log_in, make_account
from tests.conftest import make_app
from tests.factories import finding_payload, make_finding, make_walk
from tests.test_gunicorn import get, gunicorn_server  # noqa: F401  (a fixture)


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
    secure = app.test_client().get("/", base_url="https://localhost")
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


# ---- host names ---------------------------------------------------------------------------

EVIL = {"Host": "evil.example"}
PUBLIC = "https://mitmachen.example.org"


@contextmanager
def app_with(app, **config):
    """Another app on the test database, with these settings."""
    other = make_app(app.config["SQLALCHEMY_DATABASE_URI"], **config)
    try:
        yield other
    finally:
        with other.app_context():
            db.engine.dispose()


def join_code(session) -> str:
    walk_id = make_walk(session)
    return session.execute(text("SELECT join_code FROM walks WHERE id = :id"), {"id": walk_id}).scalar()


def test_without_a_public_base_url_only_local_host_names_are_answered(app):
    assert app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1", "[::1]"]
    client = app.test_client()
    for host in ("localhost", "127.0.0.1:5000", "localhost:8000"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host


def test_a_foreign_host_gets_a_400_page_never_a_link(client, session):
    code = join_code(session)
    for url in ("/", f"/w/{code}", f"/w/{code}/handout", "/open311/v2/discovery.json", "/login", "/organiser/",
                "/static/css/pages.css"):
        response = client.get(url, headers=EVIL)
        assert response.status_code == 400, url
        assert response.mimetype == "text/html" and "nicht eingerichtet" in response.text, url
        assert "evil.example" not in response.text, url


def test_a_foreign_host_gets_400_json_on_the_api_and_nothing_is_stored(client, session):
    response = client.get("/api/findings", headers=EVIL)
    assert response.status_code == 400 and response.json["error"] == "untrusted_host"
    posted = client.post("/api/findings", json=finding_payload(), headers=EVIL)
    assert posted.status_code == 400 and posted.json["error"] == "untrusted_host"
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 0


def test_a_foreign_host_with_forms_and_limits_switched_on_is_still_a_400(app, csrf_enabled):
    with app_with(app, RATELIMIT_ENABLED=True, WTF_CSRF_ENABLED=True) as strict:
        client = strict.test_client()
        for url in ("/login", "/logout", "/open311/v2/requests.json", "/organiser/users"):
            assert client.post(url, data={"x": "1"}, headers=EVIL).status_code == 400, url
        assert client.get("/", headers={"Host": "bad host"}).status_code == 400


def test_behind_a_proxy_the_forwarded_host_is_checked(app):
    with app_with(app, PROXY_FIX=1) as proxied:
        client = proxied.test_client()
        assert client.get("/", headers={"X-Forwarded-Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"X-Forwarded-Host": "localhost"}).status_code == 200


def test_with_a_public_base_url_links_always_use_it(app, session):
    code = join_code(session)
    finding = make_finding(session)
    session.execute(text("INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height, position, "
                         "moderation) "
                         "VALUES (gen_random_uuid(), :id, repeat('a', 64), repeat('b', 64), 800, 600, 0, 'approved')"),
                    {"id": str(finding)})
    session.commit()
    with app_with(app, PUBLIC_BASE_URL=PUBLIC + "/") as public:
        assert public.config["TRUSTED_HOSTS"] == ["mitmachen.example.org", "localhost", "127.0.0.1", "[::1]"]
        client = public.test_client()
        for host in ("mitmachen.example.org", "localhost:8000"):  # the health check comes by localhost
            headers = {"Host": host}
            assert f"{PUBLIC}/w/{code}" in client.get(f"/w/{code}/handout", headers=headers).text
            discovery = client.get("/open311/v2/discovery.json", headers=headers).json
            assert discovery["endpoints"][0]["url"] == f"{PUBLIC}/open311/v2"
            requests = client.get("/open311/v2/requests.json", headers=headers).json
            assert [r["media_url"] for r in requests] == [f"{PUBLIC}/photos/{'b' * 64}/web.jpg"]
        assert client.get(f"/w/{code}/handout", headers=EVIL).status_code == 400


def test_without_a_public_base_url_links_use_the_trusted_request_host(client, session):
    code = join_code(session)
    assert f"http://127.0.0.1:5000/w/{code}" in client.get(f"/w/{code}/handout",
                                                            headers={"Host": "127.0.0.1:5000"}).text
    discovery = client.get("/open311/v2/discovery.json").json
    assert discovery["endpoints"][0]["url"] == "http://localhost/open311/v2"


def test_trusted_hosts_can_be_configured(app, monkeypatch):
    monkeypatch.setenv("MAPAPP_TRUSTED_HOSTS", json.dumps(["mapapp.lan", ".example.org"]))
    with app_with(app) as configured:
        assert configured.config["TRUSTED_HOSTS"] == ["mapapp.lan", ".example.org"]
        client = configured.test_client()
        assert client.get("/", headers={"Host": "mapapp.lan:5000"}).status_code == 200
        assert client.get("/", headers={"Host": "karte.example.org"}).status_code == 200
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert trusted_hosts({"TRUSTED_HOSTS": "a.example, b.example"}) == ["a.example", "b.example"]
    assert trusted_hosts({"TRUSTED_HOSTS": [], "PUBLIC_BASE_URL": PUBLIC}) == []  # []: any host


def test_the_dev_server_tells_how_to_allow_other_host_names(app):
    assert host_hint(app, "127.0.0.1") is None
    hint = host_hint(app, "0.0.0.0")
    assert "MAPAPP_TRUSTED_HOSTS" in hint and "MAPAPP_PUBLIC_BASE_URL" in hint
    with app_with(app, PUBLIC_BASE_URL=PUBLIC) as public:
        assert host_hint(public, "0.0.0.0") is None


# ---- caching of signed-in pages -----------------------------------------------------------

def test_signed_in_pages_are_never_stored(app, client):
    make_account(app)
    login_page = client.get("/login")
    assert login_page.headers["Cache-Control"] == "no-store"
    log_in(client)
    for url in ("/organiser/", "/organiser/users", "/review/", "/api/review/concerns", "/password", "/",
                "/api/findings"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "Cookie" in response.headers.get("Vary", ""), url


def test_assets_stay_cacheable_when_signed_in(app, client):
    make_account(app)
    log_in(client)
    page = client.get("/organiser/").text
    css = re.search(r'href="(/static/css/pages\.css\?v=[0-9a-f]+)"', page).group(1)
    assert client.get(css).headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_public_pages_keep_their_caching_for_visitors(client):
    assert "no-store" not in client.get("/api/findings").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")


def test_after_logout_the_login_page_is_not_stored_either(app, client):
    make_account(app)
    log_in(client)
    response = client.post("/logout", follow_redirects=True)
    assert response.request.path == "/login" and response.headers["Cache-Control"] == "no-store"


# ---- the Server header --------------------------------------------------------------------

def test_the_dev_server_names_no_versions(app):
    """``mapapp run`` serves with ``RequestHandler``; so do the browser tests' live servers."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=RequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path, host in (("/healthz", "127.0.0.1"), ("/", "evil.example")):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            conn.request("GET", path, headers={"Host": host})
            response = conn.getresponse()
            response.read()
            conn.close()
            assert response.getheader("Server") == "mapapp", path
    finally:
        server.shutdown()
        server.server_close()


def test_mapapp_run_serves_with_that_handler_and_says_how_to_allow_host_names(monkeypatch):
    import flask.cli
    import werkzeug.serving
    from click.testing import CliRunner

    from mapapp.cli import main

    calls = []
    for module in (werkzeug.serving, flask.cli):  # never a real server, whichever run this is
        monkeypatch.setattr(module, "run_simple", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.delenv("MAPAPP_TRUSTED_HOSTS", raising=False)
    monkeypatch.delenv("MAPAPP_PUBLIC_BASE_URL", raising=False)
    result = CliRunner().invoke(main, ["run", "--host", "0.0.0.0", "--port", "5999"])
    assert result.exit_code == 0, result.output
    (args, kwargs), = calls
    assert args[:2] == ("0.0.0.0", 5999) and kwargs["request_handler"] is RequestHandler
    assert "MAPAPP_TRUSTED_HOSTS" in result.output


def test_gunicorn_names_no_version_and_answers_on_loopback(gunicorn_server):
    status, headers, _body = get(f"{gunicorn_server.base}/healthz")
    assert status == 200 and headers["Server"] == "gunicorn"
