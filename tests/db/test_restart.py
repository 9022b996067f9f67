"""The app rides out a PostgreSQL restart under load without losing or doubling a finding.

A private embedded PostGIS cluster (its own directory under var/ and a free port; the
shared cluster is never touched) serves an app on a local port. Eight clients post
findings with ids they make up themselves and, like the capture page, retry the SAME
id on a 503 or a lost connection until they are told 200/201. Midway the cluster is
stopped (``-m fast``: sessions are cut off) and started again; the app keeps running.
"""
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from werkzeug.serving import make_server

from mapapp.devtools import embedded_pg
from mapapp.config import var_dir
from tests.conftest import make_app
from tests.factories import finding_payload

CLIENTS = 8
DATABASE = "mapapp_restart"
HANG_GUARD_S = 60  # only so a broken app fails the test instead of hanging it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def private_cluster():
    """A throw-away cluster of our own; the one on the shared port keeps running untouched."""
    if os.environ.get("TEST_DATABASE_URL") and embedded_pg.find_bindir() is None:
        pytest.skip("no local PostgreSQL server to restart (the tests use TEST_DATABASE_URL)")
    bindir = embedded_pg.ensure_installed()
    var_dir().mkdir(parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="pg-restart-test-", dir=var_dir()))
    cluster = embedded_pg.Cluster(base, free_port())
    assert cluster.port != embedded_pg.DEFAULT_PORT
    try:
        cluster.init(bindir)
        cluster.start(bindir)
        cluster.create_database(DATABASE)
        yield cluster, bindir
    finally:
        if cluster.running(bindir):
            cluster.stop(bindir)
        data_dir = cluster.data_dir
        shutil.rmtree(base, ignore_errors=True)
        if not data_dir.is_relative_to(base):
            shutil.rmtree(data_dir.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def served_app(private_cluster):
    from flask_migrate import upgrade

    from mapapp.districts import boundaries as districts
    from mapapp.db import db

    cluster, _bindir = private_cluster
    app = make_app(cluster.url(DATABASE))
    with app.app_context():
        upgrade()
        districts.load_default(db.session)
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


class Client(threading.Thread):
    """Posts findings one after another; retries each with the same id until it is stored."""

    def __init__(self, base_url: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.base_url, self.stop = base_url, stop
        self.restarted = False  # set once the database is being started again
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        self.stored: list[str] = []  # ids the app told us it has (200/201), in order
        self.stored_after_restart = 0
        self.unavailable: list[dict] = []  # 503 bodies
        self.unexpected: list[str] = []  # anything else: a 500, a 4xx, a bad body

    def run(self):
        while not self.stop.is_set():
            payload = finding_payload()
            while True:
                status, body = self.post(payload)
                if status in (200, 201):
                    if body.get("id") != payload["id"]:
                        self.unexpected.append(f"{status} for {payload['id']} returned {body.get('id')}")
                    self.stored.append(payload["id"])
                    if self.restarted:
                        self.stored_after_restart += 1
                    break
                if status == 503:
                    self.unavailable.append(body)
                elif status is not None:
                    self.unexpected.append(f"{status}: {body}")
                    return
                time.sleep(0.05)

    def post(self, payload: dict) -> tuple[int | None, dict]:
        request = urllib.request.Request(
            f"{self.base_url}/api/findings", data=json.dumps(payload).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                return err.code, json.loads(raw)
            except ValueError:
                return err.code, {"raw": raw[:200].decode(errors="replace")}
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return None, {}


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + HANG_GUARD_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting: {what}"
        time.sleep(0.05)


def test_findings_survive_a_database_restart_without_loss_or_duplicates(private_cluster, served_app):
    cluster, bindir = private_cluster
    stop = threading.Event()
    clients = [Client(served_app, stop) for _ in range(CLIENTS)]
    for client in clients:
        client.start()

    def stored():
        return sum(len(c.stored) for c in clients)

    wait_until(lambda: stored() >= 40, "findings stored before the restart")
    cluster.stop(bindir)
    wait_until(lambda: sum(len(c.unavailable) for c in clients) >= CLIENTS, "503s while the database is down")
    for client in clients:
        client.restarted = True
    cluster.start(bindir)
    wait_until(lambda: all(c.stored_after_restart >= 3 for c in clients) or any(c.unexpected for c in clients),
               "findings stored again after the restart")
    stop.set()
    for client in clients:
        client.join(HANG_GUARD_S)
        assert not client.is_alive()

    assert [u for c in clients for u in c.unexpected] == []
    unavailable = [body for c in clients for body in c.unavailable]
    assert unavailable and all(body.get("error") == "unavailable" for body in unavailable)
    assert all(body.get("message") and body.get("request_id") for body in unavailable)

    told_stored = [finding_id for c in clients for finding_id in c.stored]
    assert len(told_stored) == len(set(told_stored))
    conninfo = cluster.url(DATABASE).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn:
        total, distinct = conn.execute("SELECT count(*), count(DISTINCT id) FROM findings").fetchone()
        in_db = {str(row[0]) for row in conn.execute("SELECT id FROM findings")}
    assert set(told_stored) <= in_db, "a finding the client was told was stored is missing"
    assert total == distinct == len(told_stored)
