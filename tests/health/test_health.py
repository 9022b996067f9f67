"""/healthz answers without the database; /readyz checks database, PostGIS and migrations."""
import socket

from alembic.script import ScriptDirectory
from sqlalchemy import text

from mapapp import config
from tests.conftest import make_app


def dead_database_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+psycopg://nobody@127.0.0.1:{port}/none"


def test_healthz_is_ok_without_touching_the_database():
    response = make_app(dead_database_url()).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_reports_database_postgis_and_migration(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    head = ScriptDirectory(str(config.project_dir() / "migrations")).get_current_head()
    assert body["status"] == "ready"
    assert body["database"] == "ok"
    assert body["postgis"].startswith("3.")
    assert body["migration"] == head
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_503_naming_the_database_when_it_is_unreachable():
    response = make_app(dead_database_url()).test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable"
    assert body["database"].startswith("unavailable")
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_503_when_the_schema_is_behind_the_migrations(client, session):
    current = session.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    session.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    session.commit()
    try:
        response = client.get("/readyz")
    finally:
        session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        session.commit()
    assert response.status_code == 503
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["migration"] == f"0001 (head {current})"
