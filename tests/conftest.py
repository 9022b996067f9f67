"""Fixtures: a fresh PostGIS database per run, an app on it, a clean slate per test.

Tests talk to a real PostGIS: the embedded cluster under var/ (started if needed), or
the server in TEST_DATABASE_URL. The database ``mapapp_test`` is dropped and migrated
from empty at the start of each run.
"""
import os
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from mapapp import create_app
from mapapp.config import normalise_database_url
from mapapp.db import db
from mapapp.devtools import embedded_pg

TEST_DATABASE = os.environ.get("MAPAPP_TEST_DB", "mapapp_test")
GEODATA_REF = Path(os.environ.get("MAPAPP_GEODATA_REF", Path(__file__).resolve().parents[2] / "shared" / "geodata-ref"))


def fresh_database(name: str) -> str:
    """Drop and create database ``name``; return its SQLAlchemy URL."""
    base = os.environ.get("TEST_DATABASE_URL")
    if base:
        url = normalise_database_url(base).rsplit("/", 1)[0] + f"/{name}"
    else:
        url = embedded_pg.ensure().url(name)
    admin = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def make_app(url: str, **overrides):
    """The app under test. CSRF tokens are off so tests can post forms plainly; tests of
    CSRF itself, and the browser tests, switch them on with the ``csrf_enabled`` fixture.
    The login rate limit is off too; a test of it builds its own app with ``overrides``. Moderation is
    off (what is sent is public at once), unlike production's default ``pre``."""
    return create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "TILE_URL": "",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Tests not about moderation publish at once (tests/moderation/ set "pre" or "post").
        "MODERATION": "off",
        **overrides,
    })


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade

    from mapapp.districts import boundaries as districts

    application = make_app(fresh_database(TEST_DATABASE))
    with application.app_context():
        upgrade()
        districts.load_default(db.session)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def session(app):
    """The app's database session inside an app context."""
    with app.app_context():
        yield db.session
        db.session.remove()


@pytest.fixture(autouse=True)
def clean_slate(request):
    """After each database test: no findings or walks, the default districts back."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.rollback()
        db.session.execute(text("TRUNCATE findings, walks, participants, users, teams, concerns CASCADE"))
        changed = db.session.execute(text(
            "SELECT count(*) <> 53 OR bool_or(NOT approximate) FROM districts"
        )).scalar()
        db.session.commit()
        if changed:
            from mapapp.districts import boundaries as districts

            db.session.execute(text("DELETE FROM districts"))
            db.session.commit()
            districts.load_default(db.session)
        db.session.remove()


@pytest.fixture
def photo_storage(app, tmp_path, monkeypatch):
    """Keep this test's photo files in its own temporary directory."""
    from mapapp.photos.storage import LocalStorage

    storage = LocalStorage(tmp_path / "uploads")
    monkeypatch.setitem(app.extensions, "photo_storage", storage)
    return storage


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_enabled(app):
    """Check CSRF tokens as in production for this one test."""
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def geodata_ref() -> Path:
    """The official Duisburg boundaries beside the project, when present."""
    if not (GEODATA_REF / "duisburg_ortsteile.geojson").exists():
        pytest.skip(f"official boundaries not found in {GEODATA_REF}")
    return GEODATA_REF


@pytest.fixture
def official_districts(session, geodata_ref):
    """Replace the default districts with the official 7 Stadtbezirke and 46 Ortsteile."""
    from mapapp.districts import boundaries as districts

    districts.import_file(session, geodata_ref / "duisburg_stadtbezirke.geojson", "stadtbezirk",
                          "stadtbezirk", "stb_nr")
    districts.import_file(session, geodata_ref / "duisburg_ortsteile.geojson", "ortsteil",
                          "ortsteil", "ot_nr", "stb_nr")
    return geodata_ref


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright driver for the whole run (a second sync driver cannot start beside it), with
    the path of Debian's Chromium: browser tests and the HTTPS deployment test launch from it."""
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: run `make test`, which installs Debian's chromium")
    with sync_playwright() as playwright:
        yield playwright, executable
