"""Running export jobs: in the web process (a small thread pool) or as ``mapapp export worker``.

:class:`JobRunner` is a Flask extension created by ``init_app`` in create_app, never at
import. ``submit()`` after a request has queued a job lets a pool thread drain the queue with
its own app context and session; the request itself returns at once. With
``EXPORT_JOBS_IN_PROCESS = False`` (``MAPAPP_EXPORT_JOBS_IN_PROCESS=false``) it does nothing
and a separate ``mapapp export worker`` process runs the jobs.
"""
from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

log = logging.getLogger(__name__)


def export_dir(config) -> Path:
    """``EXPORT_DIR`` or ``<MAPAPP_VAR_DIR>/exports``."""
    from mapapp.config import var_dir

    return Path(config.get("EXPORT_DIR") or var_dir() / "exports")


def job_settings(config) -> dict:
    """Keyword arguments of ``jobs.run_next`` from the app config."""
    return {"progress_every": int(config.get("EXPORT_PROGRESS_EVERY") or 1000),
            "stale_minutes": float(config.get("EXPORT_STALE_MINUTES") or 10),
            "keep_hours": float(config.get("EXPORT_KEEP_HOURS") or 24)}


def drain(app, session) -> int:
    """Run queued jobs until none is left; return how many ran (used by the pool and the worker)."""
    from mapapp.exports import jobs

    ran = 0
    while jobs.run_next(session, export_dir(app.config), **job_settings(app.config)) is not None:
        ran += 1
    return ran


class JobRunner:
    """A lazily started pool of ``EXPORT_JOB_THREADS`` threads running queued export jobs."""

    def __init__(self, app=None):
        self.app = None
        self._pool: ThreadPoolExecutor | None = None
        self._futures: list[Future] = []
        self._lock = threading.Lock()
        if app is not None:
            self.init_app(app)

    def init_app(self, app) -> None:
        self.app = app
        app.extensions["export_jobs"] = self

    @property
    def enabled(self) -> bool:
        return bool(self.app.config.get("EXPORT_JOBS_IN_PROCESS", True))

    def submit(self) -> bool:
        """Let a pool thread run the queued jobs; False when the in-process runner is off."""
        if not self.enabled:
            return False
        with self._lock:
            if self._pool is None:
                threads = int(self.app.config.get("EXPORT_JOB_THREADS") or 1)
                self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="export-job")
            self._futures = [f for f in self._futures if not f.done()]
            self._futures.append(self._pool.submit(self._run))
        return True

    def _run(self) -> None:
        from mapapp.db import db

        with self.app.app_context():
            try:
                drain(self.app, db.session)
            except Exception:  # noqa: BLE001  (a broken queue must not kill the pool thread silently)
                log.exception("export job runner failed")
            finally:
                db.session.remove()

    def wait(self, timeout: float | None = None) -> None:
        """Block until the submitted runs are finished (tests, shutdown)."""
        with self._lock:
            pending = list(self._futures)
        wait(pending, timeout=timeout)
