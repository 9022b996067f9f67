"""The app through PgBouncer in transaction mode (``MAPAPP_DB_POOLER=pgbouncer``): its main flows
work again and again, well beyond the 5 runs after which psycopg would prepare a statement.

Two apps (two client connections) take turns on PgBouncer's single server connection, so a
statement one of them prepared there would be missing for it, or clash by name, on the next turn.
"""
import pytest

from mapapp import config
from tests.auth.helpers import log_in, make_account
from tests.conftest import TEST_DATABASE, make_app
from tests.factories import BISMARCKPLATZ, finding_payload
from tests.servers import PgBouncer

ROUNDS = 8
LAT, LON = BISMARCKPLATZ
VIEW = f"/api/viewport?bbox={LON - 0.01},{LAT - 0.01},{LON + 0.01},{LAT + 0.01}&zoom=17"


@pytest.fixture(scope="module")
def pgbouncer(tmp_path_factory):
    import os

    from mapapp.devtools import embedded_pg

    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("PgBouncer is put in front of the embedded cluster; TEST_DATABASE_URL points elsewhere")
    server = PgBouncer(embedded_pg.Cluster.default().port, tmp_path_factory.mktemp("pgbouncer"))
    yield server
    server.stop()


@pytest.fixture
def pooled_apps(app, pgbouncer):
    apps = [make_app(pgbouncer.url(TEST_DATABASE), DB_POOLER="pgbouncer") for _ in range(2)]
    yield apps
    for pooled in apps:
        with pooled.app_context():
            from mapapp.db import db

            db.engine.dispose()


def take_turns(clients, flow) -> None:
    """``flow(client, n)`` ROUNDS times for each client, the clients taking turns."""
    for round_ in range(ROUNDS):
        for n, client in enumerate(clients):
            flow(client, len(clients) * round_ + n + 1)


def test_main_flows_work_repeatedly_through_pgbouncer(app, pooled_apps):
    make_account(app, "orga")
    clients = [pooled.test_client() for pooled in pooled_apps]
    for client in clients:
        assert log_in(client, "orga").status_code == 302

    def write(client, _n):
        assert client.post("/api/findings", json=finding_payload()).status_code == 201

    def read(client, _n):
        view = client.get(VIEW)
        assert view.status_code == 200 and view.get_json()["total"] == stored
        assert len(client.get("/api/findings").get_json()["features"]) == stored
        feed = client.get("/ogc/collections/findings/items?f=json&limit=1")  # pygeoapi's own connections
        assert feed.status_code == 200 and feed.get_json()["numberMatched"] == stored

    def export(client, _n):
        csv = client.get("/organiser/exports?format=csv&what=findings")
        assert csv.status_code == 200 and len(csv.get_data(as_text=True).splitlines()) == stored + 1
        geojson = client.get("/organiser/exports?format=geojson&what=findings")
        assert geojson.status_code == 200 and len(geojson.get_json()["features"]) == stored

    # Writes in a row: each commits, so psycopg's count of the INSERT is never reset by a rollback.
    take_turns(clients, write)
    stored = ROUNDS * len(clients)
    take_turns(clients, read)
    take_turns(clients, export)
    take_turns(clients, write)


def test_the_pooler_flag_switches_prepared_statements_and_startup_options_off():
    base = {"DB_CONNECT_TIMEOUT": 3, "DB_POOL_RECYCLE": 1800, "DB_STATEMENT_TIMEOUT_MS": 5000}
    direct = config.engine_options(base)["connect_args"]
    assert "prepare_threshold" not in direct and direct["options"] == "-c statement_timeout=5000"
    pooled = config.engine_options({**base, "DB_POOLER": "pgbouncer"})["connect_args"]
    assert pooled["prepare_threshold"] is None and "options" not in pooled  # PgBouncer refuses it
