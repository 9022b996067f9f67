"""A 14 MB photo is stored, and one byte over 15 MB answered with a 413 naming the photo, by the
real servers too: gunicorn with gunicorn.conf.py (production) and werkzeug under `mapapp run`
(`make run`). The test client alone would not notice a server that limits or cuts off bodies."""
import hashlib
import http.client
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from mapapp import config
from tests.factories import finding_payload
from tests.photos.images import gps_exif, noisy_jpeg
from tests.test_gunicorn import GUARD_S, free_port

MB = 1024 * 1024
BIN = Path(sys.executable).parent


class Server:
    """One app server process on a free port, against the test database, photos in ``uploads``."""

    def __init__(self, argv: list[str], port: int, database_url: str, uploads: Path, extra_env: dict):
        self.port = port
        env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="test-secret", MAPAPP_UPLOAD_DIR=str(uploads),
                   MAPAPP_EXPORT_JOBS_IN_PROCESS="false", MAPAPP_RATELIMIT_ENABLED="false", **extra_env)
        self.process = subprocess.Popen(argv, cwd=config.project_dir(), env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        """(status, headers, body) of one request on a fresh connection.

        A server may answer a body it refuses (413) before reading it, and close: like
        browsers and curl, read that answer when sending the rest fails.
        """
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=GUARD_S)
        try:
            try:
                conn.request(method, path, body=body, headers=headers or {})
            except (BrokenPipeError, ConnectionResetError):
                pass
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + GUARD_S
        while True:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                pytest.fail(f"the server did not come up: {self.process.communicate()[1][-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.communicate(timeout=GUARD_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


def gunicorn(port: int) -> tuple[list[str], dict]:
    return ([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "mapapp:create_app()"],
            {"MAPAPP_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2"})


def mapapp_run(port: int) -> tuple[list[str], dict]:
    """What `make run` starts: Flask's `run` command, i.e. werkzeug's development server."""
    return [str(BIN / "mapapp"), "run", "--host", "127.0.0.1", "--port", str(port)], {}


@pytest.fixture(params=[gunicorn, mapapp_run], ids=["gunicorn", "mapapp-run"])
def server(request, app, tmp_path):
    port = free_port()
    argv, env = request.param(port)
    running = Server(argv, port, app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "uploads", env)
    try:
        running.wait_until_up()
        yield running
    finally:
        running.stop()


def new_finding(server) -> tuple[str, str]:
    """Post a finding as a new participant, as the page does; return its id and the participant cookie."""
    payload = finding_payload()
    status, headers, body = server.request("POST", "/api/findings", json.dumps(payload).encode(),
                                           {"Content-Type": "application/json", "Accept": "application/json"})
    assert status == 201, body[:500]
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    return payload["id"], cookie


def put_photo(server, finding_id: str, cookie: str, data: bytes, sha256: str | None = None):
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    return server.request("PUT", f"/api/findings/{finding_id}/photos/{sha256}", data, {
        "Content-Type": "image/jpeg", "X-Filename": "IMG_9.jpg", "Accept": "application/json", "Cookie": cookie,
    })


def test_the_server_stores_a_14_mb_photo_without_its_metadata(server):
    finding_id, cookie = new_finding(server)
    data = noisy_jpeg((4000, 3000), exif=gps_exif())
    assert 13 * MB < len(data) <= 15 * MB

    status, _headers, body = put_photo(server, finding_id, cookie, data)
    assert status == 201, body[:500]
    photo = json.loads(body)
    assert (photo["width"], photo["height"]) == (1600, 1200)
    for url in (photo["url"], photo["thumb_url"]):  # its sender sees it while it waits for moderation
        status, _headers, stored = server.request("GET", url, headers={"Cookie": cookie})
        assert status == 200
        assert dict(Image.open(io.BytesIO(stored)).getexif()) == {} and b"TestPhone" not in stored

    status, _headers, body = put_photo(server, finding_id, cookie, data)  # a retry stores nothing twice
    assert status == 200 and json.loads(body)["id"] == photo["id"]


def test_the_server_answers_one_byte_over_15_mb_with_413_naming_the_photo(server):
    finding_id, cookie = new_finding(server)
    data = b"\xff" * (15 * MB + 1)
    status, headers, body = put_photo(server, finding_id, cookie, data)
    assert status == 413
    assert headers["Content-Type"] == "application/json"
    answer = json.loads(body)
    assert answer["error"] == "too_large" and answer["fields"] == {"photo": "is too large (at most 15 MB)"}
    status, _headers, body = server.request("GET", f"/api/findings/{finding_id}/photos")
    assert status == 200 and json.loads(body) == {"photos": []}
