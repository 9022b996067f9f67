"""Exports made in the background: the ``export_jobs`` table as a small queue. No Flask here.

A job is ``queued`` → ``running`` → ``done`` (its file at ``<out_dir>/<id>.<ext>``) or
``failed`` (a plain message in ``error``; the stack trace goes to the log only).

- Claiming uses ``FOR UPDATE SKIP LOCKED``, so two workers never run the same job.
- While running, the writer's progress callback updates ``stage``/``progress``/``heartbeat_at``
  through its own short transactions (the export's read cursor stays open meanwhile).
- A ``running`` job whose heartbeat is older than ``stale_minutes`` is marked **failed** (not
  re-queued) at the next claim: its worker died, and an export that kills its worker (e.g. out of
  memory) must not be retried for ever. The organiser can start it again.
- Finished jobs and their files older than ``keep_hours`` are deleted at each claim.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy import text

from mapapp.exports import export_filename, load_formats
from mapapp.exports.selection import count_rows

log = logging.getLogger(__name__)

STALE_MINUTES = 10
KEEP_HOURS = 24
PROGRESS_EVERY = 1000
PARAM_KEYS = ("walk", "district", "categories", "statuses", "date_from", "date_to", "what", "photos",
              "text", "crs")
STALE_ERROR = "Abgebrochen: der Export-Prozess hat sich nicht mehr gemeldet."


def create_job(session, format: str, params: dict, user_id: int | None) -> uuid.UUID:  # noqa: A002
    """Queue an export of ``format`` with ``params`` (the plain values parse_selection takes)."""
    if format not in load_formats():
        raise ValueError(f"unknown format {format!r}")
    from mapapp.exports.params import parse_selection

    params = {key: value for key, value in params.items() if key in PARAM_KEYS}
    parse_selection(**params)  # ValidationFailed now rather than a failed job later
    job_id = uuid.uuid4()
    session.execute(text("""
        INSERT INTO export_jobs (id, format, params, state, progress, created_by_id)
        VALUES (:id, :format, CAST(:params AS jsonb), 'queued', 0, :user)
    """), {"id": job_id, "format": format, "params": json.dumps(params, default=str), "user": user_id})
    session.commit()
    return job_id


def job_path(out_dir, job_id, extension: str) -> Path:
    return Path(out_dir) / f"{job_id}.{extension}"


def get_job(session, job_id) -> dict | None:
    """The job as a dict (every column), or None."""
    row = session.execute(text("SELECT * FROM export_jobs WHERE id = CAST(:id AS uuid)"),
                          {"id": str(job_id)}).mappings().first()
    return dict(row) if row else None


def recent_jobs(session, limit: int = 20) -> list[dict]:
    """The newest jobs first."""
    return [dict(row) for row in session.execute(text(
        "SELECT * FROM export_jobs ORDER BY created_at DESC LIMIT :limit"), {"limit": limit}).mappings()]


def fail_stale(session, stale_minutes: int = STALE_MINUTES) -> int:
    """Mark running jobs without a heartbeat for ``stale_minutes`` as failed; return how many."""
    count = session.execute(text("""
        UPDATE export_jobs SET state = 'failed', error = :error, finished_at = now()
        WHERE state = 'running' AND COALESCE(heartbeat_at, started_at, created_at)
              < now() - make_interval(mins => :minutes)
    """), {"error": STALE_ERROR, "minutes": int(stale_minutes)}).rowcount
    session.commit()
    return count


def clean_old(session, out_dir, keep_hours: float = KEEP_HOURS) -> int:
    """Delete finished jobs older than ``keep_hours`` and their files; return how many."""
    rows = session.execute(text("""
        DELETE FROM export_jobs
        WHERE state IN ('done', 'failed') AND finished_at < now() - make_interval(secs => :seconds)
        RETURNING id, format
    """), {"seconds": float(keep_hours) * 3600}).all()
    session.commit()
    formats = load_formats()
    for job_id, fmt in rows:
        if fmt in formats:
            job_path(out_dir, job_id, formats[fmt].extension).unlink(missing_ok=True)
    return len(rows)


def _claim(session, job_id=None):
    """Mark one queued job (``job_id``, or the oldest) running and return its id, or None."""
    pick = "id = CAST(:id AS uuid) AND " if job_id else ""
    claimed = session.execute(text(f"""
        UPDATE export_jobs SET state = 'running', started_at = now(), heartbeat_at = now(),
               stage = 'count', progress = 0, error = NULL
        WHERE id = (SELECT id FROM export_jobs WHERE {pick}state = 'queued'
                    ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id
    """), {"id": str(job_id) if job_id else None}).scalar()
    session.commit()
    return claimed


def claim_next(session, out_dir, *, stale_minutes=STALE_MINUTES, keep_hours=KEEP_HOURS):
    """Tidy up (stale jobs, old files), then claim the oldest queued job; its id or None."""
    fail_stale(session, stale_minutes)
    clean_old(session, out_dir, keep_hours)
    return _claim(session)


def run_job(session, job_id, out_dir, progress_every: int = PROGRESS_EVERY) -> bool:
    """Claim job ``job_id`` and run it; False when it was not queued (another worker has it)."""
    if _claim(session, job_id) is None:
        return False
    execute_claimed(session, job_id, out_dir, progress_every)
    return True


def run_next(session, out_dir, progress_every: int = PROGRESS_EVERY, **tidy) -> uuid.UUID | None:
    """Claim and run the oldest queued job; its id, or None when the queue is empty."""
    job_id = claim_next(session, out_dir, **tidy)
    if job_id is not None:
        execute_claimed(session, job_id, out_dir, progress_every)
    return job_id


class _Reporter:
    """The writers' progress callback: stage, rows and heartbeat into the job row, in a
    separate transaction, at most every ``every`` rows (and whenever the stage changes)."""

    def __init__(self, engine, job_id, every: int):
        self.engine, self.job_id, self.every = engine, job_id, max(1, every)
        self.stage, self.saved = None, 0

    def __call__(self, stage: str, done: int) -> None:
        if stage == self.stage and abs(done - self.saved) < self.every:
            return
        self.stage, self.saved = stage, done
        self.update(stage=stage, progress=done)

    def update(self, **values) -> None:
        sets = ", ".join(f"{key} = :{key}" for key in values)
        with self.engine.begin() as conn:
            conn.execute(text(f"UPDATE export_jobs SET {sets}, heartbeat_at = now() WHERE id = :id"),
                         {**values, "id": self.job_id})


def execute_claimed(session, job_id, out_dir, progress_every: int = PROGRESS_EVERY) -> None:
    """Write the export of a claimed (running) job into ``<out_dir>/<id>.<ext>``; done or failed."""
    from mapapp.exports.params import parse_selection

    job = get_job(session, job_id)
    reporter = _Reporter(session.get_bind(), job_id, progress_every)
    part = None
    try:
        fmt = load_formats()[job["format"]]
        selection = parse_selection(**job["params"])
        session.execute(text("SET LOCAL statement_timeout = 0"))  # web workers may cap statements
        total = count_rows(session, selection)
        reporter.update(total=total, stage="rows", progress=0)
        path = job_path(out_dir, job_id, fmt.extension)
        path.parent.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        with part.open("wb") as out:
            fmt.write(session, selection, out, progress=reporter)
        os.replace(part, path)
        session.rollback()  # end the read transaction before writing the result
        session.execute(text("""
            UPDATE export_jobs SET state = 'done', stage = 'done', progress = total, size_bytes = :size,
                   file_name = :name, finished_at = now(), heartbeat_at = now()
            WHERE id = :id"""), {"id": job_id, "size": path.stat().st_size,
                                 "name": export_filename(fmt, selection, date.today())})
        session.commit()
    except Exception as exc:  # noqa: BLE001  (any failure ends the job with a message)
        log.exception("export job %s failed", job_id)
        session.rollback()
        if part is not None:
            part.unlink(missing_ok=True)
        session.execute(text("""
            UPDATE export_jobs SET state = 'failed', error = :error, finished_at = now(), heartbeat_at = now()
            WHERE id = :id"""), {"id": job_id, "error": failure_message(exc)})
        session.commit()


def failure_message(exc: Exception) -> str:
    """A plain German sentence for the job page; never a stack trace."""
    from mapapp.errors import DomainError

    if isinstance(exc, DomainError):
        return str(exc.message)
    if isinstance(exc, OSError):
        return f"Die Exportdatei konnte nicht geschrieben werden ({exc.strerror or type(exc).__name__})."
    return f"Der Export ist fehlgeschlagen ({type(exc).__name__})."
