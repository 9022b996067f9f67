"""Readiness: the database answers, PostGIS is installed, the schema is at the newest migration.

No Flask here; the route (and anyone else) passes an engine and the migrations directory.
Each check runs on its own short-lived connection with a short statement timeout, so a
hanging database makes the check fail quickly instead of tying up a worker.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ProgrammingError, SQLAlchemyError

STATEMENT_TIMEOUT_MS = 2000


@lru_cache(maxsize=4)
def migration_head(migrations_dir: str) -> str | None:
    """The head revision of ``migrations_dir``, read once per process (the files do not change)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(migrations_dir).get_current_head()


def readiness(engine: Engine, migrations_dir: Path | str) -> tuple[bool, dict]:
    """Return (ready, report); the report names each part as ok/its version, or what failed."""
    report: dict = {"database": "unknown", "postgis": "unknown", "migration": "unknown"}
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
            conn.execute(text("SELECT 1")).scalar_one()
            report["database"] = "ok"
            report["postgis"] = _postgis_version(conn)
            report["migration"] = _migration_state(conn, str(migrations_dir))
    except SQLAlchemyError as exc:
        failed = next((k for k in ("database", "postgis", "migration") if report[k] == "unknown"), "database")
        report[failed] = f"unavailable ({type(getattr(exc, 'orig', None) or exc).__name__})"
    ready = report["database"] == "ok" and _is_version(report["postgis"]) and _is_version(report["migration"])
    return ready, report


def _postgis_version(conn) -> str:
    try:
        with conn.begin_nested():
            return conn.execute(text("SELECT postgis_lib_version()")).scalar_one()
    except ProgrammingError:  # the function does not exist: no PostGIS in this database
        return "missing"


def _migration_state(conn, migrations_dir: str) -> str:
    head = migration_head(migrations_dir)
    try:
        with conn.begin_nested():
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except ProgrammingError:  # no alembic_version table: never migrated
        current = None
    if current is None:
        return f"not migrated (head {head})"
    return current if current == head else f"{current} (head {head})"


def _is_version(value: str) -> bool:
    return bool(value) and value[0].isdigit() and " " not in value
