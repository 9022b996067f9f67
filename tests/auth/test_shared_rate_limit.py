"""With ``MAPAPP_REDIS_URL`` every gunicorn worker counts against one write budget; without it
each worker has its own. Two workers, new connections for every request (so both serve some),
writes sent four at a time (a sync worker busy with one leaves the next to the other) that
count but store nothing (an empty finding: 422 after the limiter has counted it)."""
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
import urllib.error
import urllib.request

import pytest

from tests.servers import RedisServer
from tests.test_gunicorn import GUARD_S, Gunicorn, get

LIMIT = 5
SENT = 4 * LIMIT


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    yield server
    server.stop()


def post_empty_finding(base: str, request_id: str) -> int:
    request = urllib.request.Request(f"{base}/api/findings", data=b"{}", method="POST",
                                     headers={"Content-Type": "application/json", "X-Request-ID": request_id})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class LogLines(threading.Thread):
    """Reads gunicorn's stdout (the app's JSON lines) while it runs."""

    def __init__(self, process):
        super().__init__(daemon=True)
        self.process, self.lines = process, []
        self.start()

    def run(self):
        for line in self.process.stdout:
            if line.startswith("{"):
                self.lines.append(json.loads(line))

    def pids(self, prefix: str) -> set[int]:
        return {line["pid"] for line in list(self.lines) if str(line.get("request_id", "")).startswith(prefix)}


def wait_for_both_workers(server, log: LogLines) -> None:
    """Health checks four at a time until both workers have answered one (each loads the app itself)."""
    deadline = time.monotonic() + GUARD_S
    with ThreadPoolExecutor(max_workers=4) as pool:
        while len(log.pids("warm-")) < 2:
            assert time.monotonic() < deadline, "the second worker never answered"
            list(pool.map(lambda n: get(f"{server.base}/healthz", {"X-Request-ID": f"warm-{n}"}), range(8)))
            time.sleep(0.2)


def send_writes(app, **env) -> tuple[list[int], set[int]]:
    """Statuses of SENT writes to two workers, and the pids of the workers that answered them."""
    server = Gunicorn(app.config["SQLALCHEMY_DATABASE_URI"], WEB_CONCURRENCY="2", GUNICORN_THREADS="1",
                      MAPAPP_RATELIMIT_ENABLED="true", MAPAPP_WRITE_RATE_LIMIT=f"{LIMIT} per minute", **env)
    log = LogLines(server.process)
    try:
        server.wait_until_up()
        wait_for_both_workers(server, log)
        with ThreadPoolExecutor(max_workers=4) as pool:  # a busy sync worker leaves the next one to the other
            statuses = list(pool.map(lambda n: post_empty_finding(server.base, f"budget-{n}"), range(SENT)))
    finally:
        server.process.terminate()
        server.process.wait(timeout=GUARD_S)
        log.join(timeout=GUARD_S)
    return statuses, log.pids("budget-")


def test_two_workers_share_one_budget_in_redis(app, redis_server):
    statuses, pids = send_writes(app, MAPAPP_REDIS_URL=redis_server.url)
    assert len(pids) == 2, "both workers answered"
    assert statuses.count(422) == LIMIT  # counted, refused by validation, nothing stored
    assert statuses.count(429) == SENT - LIMIT


def test_without_redis_each_worker_counts_on_its_own(app):
    statuses, pids = send_writes(app)
    assert len(pids) == 2
    assert statuses.count(422) > LIMIT  # more than one budget was spent: up to one per worker
    assert statuses.count(422) <= 2 * LIMIT


def test_a_down_redis_fails_open_and_logs_it(app, redis_server, caplog):
    from tests.conftest import make_app

    limited = make_app(app.config["SQLALCHEMY_DATABASE_URI"], RATELIMIT_ENABLED=True,
                       WRITE_RATE_LIMIT=f"{LIMIT} per minute", REDIS_URL=redis_server.url)
    redis_server.stop()
    client = limited.test_client()
    statuses = [client.post("/api/findings", json={}).status_code for _ in range(LIMIT + 2)]
    assert statuses == [422] * (LIMIT + 2)  # served, uncounted
    assert any("Swallowing error" in record.getMessage() for record in caplog.records)
