"""An upgrade's `systemctl reload mapapp-web` (HUP to gunicorn): the new workers run the code now on
disk, also the parts gunicorn's master imported for its logging (the ``mapapp`` package), and a
request in flight when the reload comes is answered by the old worker, not dropped."""
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

from tests.deploy.helpers import free_port, snapshot

pytestmark = pytest.mark.deploy

GUARD_S = 60
GRACEFUL_S = 20  # below gunicorn.conf.py's graceful_timeout (30 s), after which the old worker is killed
UPGRADE = ("    register_commands(app)\n    return app\n",
           "    register_commands(app)\n"
           "    app.after_request(lambda response: response.headers.update({'X-Release': 'new'}) or response)\n"
           "    return app\n")


def get(url: str):
    with urllib.request.urlopen(url, timeout=GUARD_S) as response:
        return response.status, response.headers


def release(base: str) -> str | None:
    return get(f"{base}/healthz")[1].get("X-Release")


def workers(master: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return {int(pid) for pid in out.split()}


def eventually(check, within=GUARD_S):
    deadline = time.monotonic() + within
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.fixture
def server(app, tmp_path):
    """gunicorn with gunicorn.conf.py from a copy of the checkout (that the test then upgrades)."""
    src = snapshot(tmp_path / "src")
    port = free_port()
    env = os.environ | {"PYTHONPATH": str(src), "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SECRET_KEY": "test-secret", "MAPAPP_BIND": f"127.0.0.1:{port}", "MAPAPP_VAR_DIR": str(tmp_path / "var"),
                        "WEB_CONCURRENCY": "1", "GUNICORN_THREADS": "2", "MAPAPP_EXPORT_JOBS_IN_PROCESS": "false"}
    log = (tmp_path / "gunicorn.log").open("w")
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "mapapp:create_app()"],
                               cwd=src, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return get(f"{base}/healthz")[0] == 200
        except OSError:
            assert process.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            return False

    try:
        eventually(up)
        yield {"process": process, "base": base, "port": port, "src": src}
    finally:
        process.terminate()
        process.wait(timeout=GUARD_S)


def test_a_reload_runs_the_new_code_and_finishes_the_request_in_flight(server):
    process, base = server["process"], server["base"]
    assert release(base) is None
    old_workers = workers(process.pid)
    # A participant's POST whose body is still on its way when the reload comes.
    body = json.dumps({"id": "not-a-uuid"}).encode()
    in_flight = socket.create_connection(("127.0.0.1", server["port"]), timeout=GUARD_S)
    in_flight.sendall(b"POST /api/findings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                      b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body[:5])
    time.sleep(0.5)

    init = server["src"] / "mapapp/__init__.py"
    assert UPGRADE[0] in init.read_text(), "the end of create_app() changed: adapt UPGRADE"
    init.write_text(init.read_text().replace(*UPGRADE))
    process.send_signal(signal.SIGHUP)
    eventually(lambda: workers(process.pid) - old_workers)
    # Until gunicorn has told the old worker to stop, it may still take a connection.
    eventually(lambda: release(base) == "new", within=GRACEFUL_S)
    in_flight.sendall(body[5:])
    answer = in_flight.makefile("rb").read().decode()
    in_flight.close()

    assert answer.startswith("HTTP/1.1 422"), answer[:300]
    assert release(base) == "new"
