"""A streaming read replica for the map's read-only traffic (``DATABASE_REPLICA_URL``).

Routes that only read what the public map shows (viewport, tiles, public walk pages, the OGC
API feed, GeoReport GETs) take their session from :func:`mapapp.db.read_session`; everything
else, and every write, uses the primary (``db.session``). The replica is used only while it is
*usable*: it answers within ``REPLICA_CONNECT_TIMEOUT_S`` and is at most ``REPLICA_MAX_LAG_S``
behind. Its state is measured at most every ``REPLICA_CHECK_EVERY_S`` by one thread at a time
(the others keep the last answer), so a replica that is down costs one short connect attempt
per interval, not one per request.

Lag is how long ago the last replayed transaction committed on the primary, but only when the
replica has received WAL it has not replayed yet: an idle primary sends nothing, so an old
replay timestamp with everything received replayed means "caught up", not "behind". Whether
the WAL receiver is streaming is read from ``pg_stat_wal_receiver``, which needs a superuser or
``pg_read_all_stats``; without it every unreplayed byte counts with the timestamp's age, which
errs towards the primary.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

DEFAULT_MAX_LAG_S = 5.0
DEFAULT_CHECK_EVERY_S = 2.0
DEFAULT_CONNECT_TIMEOUT_S = 1
STATEMENT_TIMEOUT_MS = 1000

LAG_SQL = text("""
    SELECT pg_is_in_recovery() AS standby,
           COALESCE((SELECT status = 'streaming' FROM pg_stat_wal_receiver), false)
             AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() AS caught_up,
           extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 AS behind_s
""")


@dataclass(frozen=True)
class ReplicaState:
    """``ok`` (use it), ``lagging`` (more than the limit behind) or ``unavailable``; lag in seconds."""

    status: str
    lag_s: float | None = None

    @property
    def usable(self) -> bool:
        return self.status == "ok"

    def describe(self) -> str:
        """One line for /readyz, e.g. ``ok (lag 0.0 s)``."""
        if self.lag_s is None or math.isinf(self.lag_s):
            return self.status
        return f"{self.status} (lag {self.lag_s:.1f} s)"


def measure(engine: Engine, max_lag_s: float) -> ReplicaState:
    """Connect to the replica and compare its replay position with what it has received."""
    try:
        with engine.connect() as conn:
            conn.execute(text(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}"))
            row = conn.execute(LAG_SQL).one()
    except SQLAlchemyError:
        return ReplicaState("unavailable")
    lag = lag_s(row.standby, row.caught_up, row.behind_s)
    return ReplicaState("ok" if lag <= max_lag_s else "lagging", lag)


def lag_s(standby: bool, caught_up: bool, behind_s: float | None) -> float:
    """Seconds behind the primary: none when everything received is replayed (or it is no standby),
    else the age of the last replayed commit (infinite when nothing was replayed yet)."""
    if not standby or caught_up:
        return 0.0
    return math.inf if behind_s is None else max(behind_s, 0.0)


class Replica:
    """The replica's engine and its last measured state."""

    def __init__(self, engine: Engine, max_lag_s: float = DEFAULT_MAX_LAG_S,
                 check_every_s: float = DEFAULT_CHECK_EVERY_S, clock: Callable[[], float] = time.monotonic):
        self.engine = engine
        self.max_lag_s = max_lag_s
        self.check_every_s = check_every_s
        self._clock = clock
        self._lock = threading.Lock()
        self._state = ReplicaState("unavailable")
        self._measured_at: float | None = None

    def state(self) -> ReplicaState:
        """The last state, measured again first when it is older than ``check_every_s`` (unless
        another thread is measuring right now: then the last state stands)."""
        due = self._measured_at is None or self._clock() - self._measured_at >= self.check_every_s
        if due and self._lock.acquire(blocking=self._measured_at is None):
            try:
                self._state = measure(self.engine, self.max_lag_s)
                self._measured_at = self._clock()
            finally:
                self._lock.release()
        return self._state

    def mark_unavailable(self) -> None:
        """A request could not reach it: use the primary until the next measurement."""
        self._state = ReplicaState("unavailable")
        self._measured_at = self._clock()


def engine_options(primary_options: dict, connect_timeout_s: int) -> dict:
    """The primary's engine options with a shorter connect timeout: a down replica must cost
    little, since the primary can answer instead."""
    options = dict(primary_options)
    options["connect_args"] = {**options.get("connect_args", {}), "connect_timeout": connect_timeout_s}
    return options


def init_app(app) -> None:
    """Create the replica's engine when ``DATABASE_REPLICA_URL`` is set; close request sessions."""
    from mapapp.config import normalise_database_url

    url = app.config.get("DATABASE_REPLICA_URL")
    if not url:
        return
    options = engine_options(app.config["SQLALCHEMY_ENGINE_OPTIONS"],
                             int(app.config.get("REPLICA_CONNECT_TIMEOUT_S", DEFAULT_CONNECT_TIMEOUT_S)))
    app.extensions["replica"] = Replica(
        create_engine(normalise_database_url(url), **options),
        max_lag_s=float(app.config.get("REPLICA_MAX_LAG_S", DEFAULT_MAX_LAG_S)),
        check_every_s=float(app.config.get("REPLICA_CHECK_EVERY_S", DEFAULT_CHECK_EVERY_S)),
    )
    app.teardown_appcontext(_close_read_session)


def _close_read_session(_exc=None) -> None:
    from flask import g

    session = g.pop("replica_session", None)
    if session is not None:
        session.close()
