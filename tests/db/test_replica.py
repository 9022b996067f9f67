"""The map's reads on a real streaming replica of the embedded cluster, writes on the primary, and
the primary again when the replica lags beyond the limit or is down.

The replica is made once per session (``pg_basebackup -R``, a second port). Which database
answered is shown by pausing the replica's replay: a finding written meanwhile is on the
primary only.
"""
import math
import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from mapapp.db.replica import Replica, ReplicaState, lag_s, measure
from tests.conftest import TEST_DATABASE, make_app
from tests.factories import BISMARCKPLATZ, finding_payload
from tests.servers import StreamingReplica, free_port

LAT, LON = BISMARCKPLATZ
VIEW = f"/api/viewport?bbox={LON - 0.01},{LAT - 0.01},{LON + 0.01},{LAT + 0.01}&zoom=17"


@pytest.fixture(scope="session")
def streaming_replica(app):
    from mapapp.devtools import embedded_pg

    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the replica is made from the embedded cluster; TEST_DATABASE_URL points elsewhere")
    workdir = Path(tempfile.mkdtemp(prefix="mapapp-replica-"))
    replica = StreamingReplica(embedded_pg.Cluster.default(), workdir)
    try:
        replica.create()
        replica.start()
        replica.wait_for(f"SELECT count(*) = 1 FROM pg_database WHERE datname = '{TEST_DATABASE}'")
        yield replica
    finally:
        replica.drop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def replica_app(app, streaming_replica):
    """The app with the replica configured and measured on every read. The lag allowed is generous:
    other test runs on the same cluster can keep a fresh replica busy replaying for a while."""
    routed = make_app(app.config["SQLALCHEMY_DATABASE_URI"], DATABASE_REPLICA_URL=streaming_replica.url(TEST_DATABASE),
                      REPLICA_CHECK_EVERY_S=0, REPLICA_MAX_LAG_S=600)
    yield routed
    with routed.app_context():
        from mapapp.db import db

        db.engine.dispose()
    routed.extensions["replica"].engine.dispose()


@pytest.fixture
def paused_replay(streaming_replica):
    streaming_replica.execute("SELECT pg_wal_replay_pause()")
    yield
    streaming_replica.execute("SELECT pg_wal_replay_resume()")


def total_on_map(client) -> int:
    response = client.get(VIEW)
    assert response.status_code == 200
    return response.get_json()["total"]


def ogc_matched(client) -> int:
    response = client.get("/ogc/collections/findings/items?f=json&limit=1")
    assert response.status_code == 200
    return response.get_json()["numberMatched"]


def replica_has(replica: StreamingReplica, finding_id: str) -> None:
    replica.wait_for(f"SELECT count(*) = 1 FROM findings WHERE id = '{finding_id}'", TEST_DATABASE)


def test_map_reads_use_the_replica_until_it_lags_beyond_the_limit(replica_app, streaming_replica, request):
    client = replica_app.test_client()
    first = finding_payload()
    assert client.post("/api/findings", json=first).status_code == 201
    replica_has(streaming_replica, first["id"])  # just replayed: the replica is seconds behind at most
    request.getfixturevalue("paused_replay")

    second = finding_payload(lat=LAT + 0.0005)
    assert client.post("/api/findings", json=second).status_code == 201  # the write went to the primary
    assert total_on_map(client) == 1  # the map reads the paused replica, within the lag limit
    assert ogc_matched(client) == 1
    assert client.get("/readyz").get_json()["replica"].startswith("ok (lag ")
    assert client.get(f"/api/findings/{second['id']}").status_code == 200  # everything else: the primary

    replica_app.extensions["replica"].max_lag_s = 0.5
    time.sleep(1)
    assert total_on_map(client) == 2  # the replica is too far behind: the primary answers
    assert ogc_matched(client) == 2
    assert client.get("/readyz").get_json()["replica"].startswith("lagging (lag ")


def test_lag_counts_only_while_received_wal_waits_for_replay():
    assert lag_s(standby=True, caught_up=True, behind_s=600.0) == 0  # an idle primary sends nothing
    assert lag_s(standby=True, caught_up=False, behind_s=12.5) == 12.5
    assert lag_s(standby=True, caught_up=False, behind_s=None) == math.inf  # nothing replayed yet
    assert lag_s(standby=False, caught_up=False, behind_s=None) == 0  # not a standby (promoted)


def test_a_stopped_replica_leaves_the_map_to_the_primary(replica_app, streaming_replica):
    client = replica_app.test_client()
    replica = replica_app.extensions["replica"]
    replica.check_every_s = 3600  # measured "ok" once, then not again: the request itself finds it down
    assert replica.state().usable
    streaming_replica.stop()
    try:
        body = finding_payload()
        assert client.post("/api/findings", json=body).status_code == 201
        assert total_on_map(client) == 1
        assert client.get("/tiles/findings/15/16993/10903.mvt").status_code == 200
        assert ogc_matched(client) == 1
        assert client.get("/open311/v2/services.json").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.get_json()["replica"] == "unavailable"
    finally:
        streaming_replica.start()


def test_an_unreachable_replica_is_unavailable_within_the_connect_timeout():
    engine = create_engine(f"postgresql+psycopg://mapapp@127.0.0.1:{free_port()}/x",
                           connect_args={"connect_timeout": 1})
    started = time.monotonic()
    assert measure(engine, 5) == ReplicaState("unavailable")
    assert time.monotonic() - started < 3
    assert ReplicaState("lagging", math.inf).describe() == "lagging"


def test_the_state_is_measured_at_most_every_interval(monkeypatch):
    calls = []
    monkeypatch.setattr("mapapp.db.replica.measure", lambda engine, lag: calls.append(1) or ReplicaState("ok", 0.0))
    now = [100.0]
    replica = Replica(engine=None, check_every_s=2, clock=lambda: now[0])
    for _ in range(5):
        assert replica.state().usable
    now[0] += 2
    replica.state()
    assert len(calls) == 2
