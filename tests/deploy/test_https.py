"""The capture flow over real HTTPS, the way the installer sets it up: Caddy (`tls internal`, the
installer's Caddyfile) in front of gunicorn (the installer's settings file) on the test database,
Caddy's root CA trusted in Chromium through an NSS database. On https://mapapp.localhost the walk
map loads, the service worker registers, GPS is allowed, a finding with a photo lands in PostGIS,
and the answers carry HSTS and only Secure cookies."""
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from mapapp import config
from tests.browser.conftest import CHROMIUM_ARGS, checked_page
from tests.browser.capture import (
    eventually, file_payload, jpeg, open_walk_map, row, rows, saved_popup, start_finding, to_last_step,
)
from tests.deploy.helpers import free_port, install, read_env_file, snapshot
from tests.factories import make_walk
from tests.servers import stop

pytestmark = [pytest.mark.deploy, pytest.mark.browser]

DOMAIN = "mapapp.localhost"  # Chromium resolves *.localhost to the loopback address: no /etc/hosts entry
GUARD_S = 60  # only so a server that never comes up fails the test instead of hanging it


class _Loopback(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 with the host name as SNI, Host and certificate name (Python's resolver
    does not know *.localhost)."""

    def connect(self):
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)


def https_get(port: int, path: str, ca_file: Path) -> http.client.HTTPResponse:
    connection = _Loopback(DOMAIN, port, timeout=10, context=ssl.create_default_context(cafile=str(ca_file)))
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def wait_for(check, process, what: str, log: Path):
    deadline = time.monotonic() + GUARD_S
    while True:
        try:
            if check():
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not come up: {log.read_text()[-3000:]}")
        time.sleep(0.2)


def start(command, log: Path, **kw) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=log.open("w"), stderr=subprocess.STDOUT, **kw)


def gunicorn_env(settings: dict, app, base: Path) -> dict:
    """The installer's settings, but on the test database, with state in ``base`` and no tiles.
    No Redis here (the shared rate limits have their own tests): MAPAPP_REDIS_URL is left out."""
    env = {name: value for name, value in settings.items() if name != "MAPAPP_REDIS_URL"}
    return os.environ | env | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "MAPAPP_VAR_DIR": str(base / "var"),
        "MAPAPP_UPLOAD_DIR": str(base / "var/uploads"), "MAPAPP_EXPORT_DIR": str(base / "var/exports"),
        "MAPAPP_TILE_URL": "", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "4"}


def caddyfile_without_admin(path: Path) -> Path:
    """The installer's Caddyfile with Caddy's admin endpoint off, so a Caddy already running on
    this machine (Debian's package starts one on :2019) does not collide with the test's."""
    text = path.read_text().replace("{\n", "{\n\tadmin off\n", 1)
    copy = path.with_name("Caddyfile.test")
    copy.write_text(text)
    return copy


@pytest.fixture(scope="module")
def site(app, tmp_path_factory):
    """Caddy on https://mapapp.localhost:<port> in front of gunicorn; yields the base URL and CA file."""
    caddy = shutil.which("caddy")
    assert caddy, "caddy is not installed: run `make test`, which installs Debian's caddy"
    base = tmp_path_factory.mktemp("https")
    https_port, http_port, app_port = free_port(), free_port(), free_port()
    root = base / "root"
    install(snapshot(base / "checkout"), root, "--domain", DOMAIN, "--tls-internal", "--https-port", str(https_port),
            "--http-port", str(http_port), "--bind", f"127.0.0.1:{app_port}")
    settings = read_env_file(root / "etc/mapapp/mapapp.env")

    gunicorn_log, caddy_log = base / "gunicorn.log", base / "caddy.log"
    gunicorn = start([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "mapapp:create_app()"],
                     gunicorn_log, cwd=config.project_dir(), env=gunicorn_env(settings, app, base))
    caddy_home = base / "caddy"
    proxy = start([caddy, "run", "--adapter", "caddyfile", "--config", str(caddyfile_without_admin(root / "etc/caddy/Caddyfile"))],
                  caddy_log, cwd=base, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(caddy_home),
                                            "XDG_DATA_HOME": str(caddy_home / "data"),
                                            "XDG_CONFIG_HOME": str(caddy_home / "config")})
    ca_file = caddy_home / "data/caddy/pki/authorities/local/root.crt"
    try:
        wait_for(lambda: urllib.request.urlopen(f"http://127.0.0.1:{app_port}/healthz", timeout=10).status == 200,
                 gunicorn, "gunicorn", gunicorn_log)
        wait_for(lambda: ca_file.exists() and https_get(https_port, "/healthz", ca_file).status == 200,
                 proxy, "Caddy in front of gunicorn", caddy_log)
        yield {"url": f"https://{DOMAIN}:{https_port}", "port": https_port, "http_port": http_port, "ca_file": ca_file,
               "uploads": base / "var/uploads", "settings": settings}
    finally:
        stop(proxy)
        stop(gunicorn)


@pytest.fixture(scope="module")
def chromium(playwright_driver):
    """Playwright's launcher for Debian's Chromium: ``launch(home)`` starts one with that HOME."""
    playwright, executable = playwright_driver
    return lambda home: playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                                   env=dict(os.environ, HOME=str(home)))


@pytest.fixture(scope="module")
def trusting_browser(site, chromium, tmp_path_factory):
    """Chromium whose NSS database (in its own HOME) trusts Caddy's root CA: real trust, no
    --ignore-certificate-errors."""
    certutil = shutil.which("certutil")
    assert certutil, "certutil is missing: run `make test`, which installs Debian's libnss3-tools"
    home = tmp_path_factory.mktemp("browser-home")
    nssdb = home / ".pki/nssdb"
    nssdb.mkdir(parents=True)
    subprocess.run([certutil, "-d", f"sql:{nssdb}", "-N", "--empty-password"], check=True, timeout=60)
    subprocess.run([certutil, "-d", f"sql:{nssdb}", "-A", "-n", "Caddy Local Authority (test)", "-t", "C,,",
                    "-i", str(site["ca_file"])], check=True, timeout=60)
    browser = chromium(home)
    yield browser
    browser.close()


@pytest.fixture
def walk(session):
    walk_id = make_walk(session, title="Begehung über HTTPS")
    return {"id": walk_id, "code": row(session, "SELECT join_code FROM walks WHERE id = :id", id=walk_id)["join_code"]}


def test_the_installers_settings_make_https_answers_with_hsts_and_plain_http_redirects(site):
    answer = https_get(site["port"], "/healthz", site["ca_file"])
    plain = http.client.HTTPConnection("127.0.0.1", site["http_port"], timeout=10)
    plain.request("GET", "/w/abc/map", headers={"Host": DOMAIN})
    redirect = plain.getresponse()
    plain.close()

    assert answer.status == 200
    assert answer.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert site["settings"]["MAPAPP_PUBLIC_BASE_URL"] == site["url"]
    # (Caddy's redirect names no port: on a real host that is 443; the test's port is another.)
    assert redirect.status == 308 and redirect.getheader("Location") == f"https://{DOMAIN}/w/abc/map"


def test_a_browser_without_caddys_root_ca_refuses_the_site(site, chromium, tmp_path):
    """So the trust the other test relies on is the NSS database's, not a lenient browser."""
    browser = chromium(tmp_path)
    try:
        with pytest.raises(PlaywrightError, match="ERR_CERT_AUTHORITY_INVALID"):
            browser.new_page().goto(site["url"])
    finally:
        browser.close()


def test_a_walk_over_https_registers_the_worker_uses_gps_and_stores_a_finding_with_its_photo(
        trusting_browser, site, session, walk, request):
    with checked_page(trusting_browser, request, base_url=site["url"], viewport={"width": 360, "height": 740},
                      is_mobile=True, has_touch=True, permissions=["geolocation"],
                      geolocation={"latitude": 51.4565, "longitude": 6.6995, "accuracy": 12}) as phone:
        front = phone.goto("/")
        assert front.ok and front.url.startswith(f"https://{DOMAIN}:")
        assert front.header_value("strict-transport-security") == "max-age=31536000; includeSubDomains"
        assert phone.evaluate("window.isSecureContext")

        open_walk_map(phone, walk)
        worker = phone.evaluate("navigator.serviceWorker.ready.then((r) => r.active && r.active.scriptURL)")
        assert worker == f"{site['url']}/sw.js"

        photo = jpeg()
        start_finding(phone, "empty_shop")  # "Mein Standort": the position comes from the (allowed) GPS
        to_last_step(phone)
        phone.locator("#photo-gallery-input").set_input_files(files=[file_payload(photo)])
        expect(phone.locator(".photo-thumb")).to_have_count(1)
        phone.locator("#send-button").click()
        finding_id = uuid.UUID(saved_popup(phone).get_attribute("data-finding-id"))

        stored = row(session, """SELECT f.walk_id, ST_Y(f.geom) AS lat, ST_X(f.geom) AS lon, o.name AS ortsteil
                                 FROM findings f JOIN districts o ON o.id = f.ortsteil_id WHERE f.id = :id""",
                     id=finding_id)
        assert stored["walk_id"] == walk["id"] and stored["ortsteil"] == "Alt-Homberg"
        assert (round(stored["lat"], 4), round(stored["lon"], 4)) == (51.4565, 6.6995)
        photos = eventually(lambda: rows(session, "SELECT sha256 FROM photos WHERE finding_id = :id", id=finding_id))
        assert len(photos) == 1
        assert list(site["uploads"].rglob("*.jpg")), "the photo is kept in MAPAPP_UPLOAD_DIR"

        cookies = {cookie["name"]: cookie for cookie in phone.context.cookies()}
        assert "mapapp_participant" in cookies
        assert {name: cookie["secure"] for name, cookie in cookies.items()} == {name: True for name in cookies}
