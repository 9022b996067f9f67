"""gunicorn.conf.py serves the app: health checks answer, request lines go to stdout as JSON."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from mapapp import config

GUARD_S = 60  # only so a server that never comes up (or down) fails the test instead of hanging it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, headers: dict | None = None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers, json.loads(response.read())


class Gunicorn:
    """gunicorn with the project's config file on a free port, one worker unless ``env`` says more."""

    def __init__(self, database_url: str, **env: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DATABASE_URL=database_url, SECRET_KEY="test-secret",
                   MAPAPP_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY="1", GUNICORN_THREADS="2",
                   MAPAPP_EXPORT_JOBS_IN_PROCESS="false", MAPAPP_LOG_FORMAT="json") | env
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "mapapp:create_app()"],
            cwd=config.project_dir(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + GUARD_S
        while True:
            try:
                get(f"{self.base}/healthz")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    pytest.fail(f"gunicorn did not come up: {self.process.communicate()[1][-2000:]}")
                time.sleep(0.2)

    def stop(self) -> tuple[str, str]:
        """Stop gracefully (SIGTERM); return what it wrote to stdout and stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.communicate(timeout=GUARD_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


@pytest.fixture
def gunicorn_server(app):
    server = Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"])
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


def test_gunicorn_serves_health_checks_and_logs_one_json_line_per_request(gunicorn_server):
    base = gunicorn_server.base
    status, _headers, body = get(f"{base}/readyz")
    assert status == 200 and body["status"] == "ready"
    status, headers, _body = get(f"{base}/api/categories?nickname=Hans", headers={"X-Request-ID": "gunicorn-1"})
    assert status == 200 and headers["X-Request-ID"] == "gunicorn-1"

    stdout, stderr = gunicorn_server.stop()
    lines = [json.loads(line) for line in stdout.splitlines() if line.strip()]
    request_line = next(line for line in lines if line.get("request_id") == "gunicorn-1")
    assert request_line["path"] == "/api/categories" and request_line["status"] == 200
    assert request_line["method"] == "GET" and request_line["bytes"] > 0
    assert "Hans" not in stdout and "127.0.0.1" not in stdout
    server_lines = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" for line in server_lines)
