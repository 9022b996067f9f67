"""The database handle: one Flask-SQLAlchemy extension over SQLAlchemy 2 and psycopg 3."""
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()


def init_app(app):
    """Bind the database and the migrations directory to ``app``."""
    from mapapp import config

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.project_dir() / "migrations"), compare_type=True)


POSTGIS_TABLES = {"spatial_ref_sys", "layer", "topology"}


def alembic_include_object(obj, name, obj_type, reflected, compare_to):
    """Leave PostGIS's own tables to PostGIS; let geoalchemy2 handle spatial indexes."""
    from geoalchemy2 import alembic_helpers

    if obj_type == "table" and name in POSTGIS_TABLES:
        return False
    return alembic_helpers.include_object(obj, name, obj_type, reflected, compare_to)


def tune_for_bulk_reads(session, work_mem: str = "32MB") -> None:
    """Settings for the current transaction only, in one round trip: aggregations and the
    exports' sorts in memory instead of on disk, and no JIT compilation, which costs more than it
    saves on these one-off queries (seconds at a million rows; the exports' row estimates after
    ``jsonb_each`` are far too high and made PostgreSQL compile each query for most of a second)."""
    from sqlalchemy import text

    session.execute(text("SELECT set_config('jit', 'off', true), set_config('work_mem', :work_mem, true)"),
                    {"work_mem": work_mem})


def read_session():
    """The session for read-only map traffic: the replica's (mapapp/db/replica.py) while it is
    usable, else the primary's ``db.session``. One per app context; never write through it."""
    from flask import current_app, g
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session

    replica = current_app.extensions.get("replica")
    if replica is None:
        return db.session
    if "replica_session" in g:
        return g.replica_session
    if not replica.state().usable:
        return db.session
    session = Session(bind=replica.engine, autoflush=False)
    try:
        session.connection()  # a replica that went down since it was measured: the primary answers
    except SQLAlchemyError:
        session.close()
        replica.mark_unavailable()
        return db.session
    g.replica_session = session
    return session


def read_database_url() -> str:
    """The URL behind :func:`read_session` for clients with their own connections (pygeoapi)."""
    from flask import current_app

    replica = current_app.extensions.get("replica")
    if replica is not None and replica.state().usable:
        return replica.engine.url.render_as_string(hide_password=False)
    return db.engine.url.render_as_string(hide_password=False)


def read_one(function, *args):
    """``function(session, *args)`` on :func:`read_session`; when it raises NotFound there, once
    more on the primary: a record written a moment ago (a new walk, an Open311 request just
    posted) may not have reached the replica yet."""
    from mapapp.errors import NotFound

    session = read_session()
    try:
        return function(session, *args)
    except NotFound:
        if session is db.session:
            raise
        return function(db.session, *args)
