"""Background export jobs: create → run → done, failures, claiming, stale jobs, old files."""
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from mapapp.db import db
from mapapp.exports import jobs
from tests.exports.helpers import finding_in


def set_job(session, job_id, **values):
    sets = ", ".join(f"{key} = :{key}" for key in values)
    session.execute(text(f"UPDATE export_jobs SET {sets} WHERE id = :id"), {**values, "id": job_id})
    session.commit()


def test_job_runs_to_done_with_progress_and_file(session, tmp_path):
    for name in ("Baerl", "Ruhrort", "Alt-Homberg"):
        finding_in(session, name)
    job_id = jobs.create_job(session, "gpkg", {"what": "findings", "crs": "25832"}, None)
    assert jobs.get_job(session, job_id)["state"] == "queued"
    assert jobs.run_job(session, job_id, tmp_path, progress_every=1) is True
    job = jobs.get_job(session, job_id)
    assert job["state"] == "done" and job["error"] is None
    assert job["total"] == 3 and job["progress"] == job["total"]
    path = tmp_path / f"{job_id}.gpkg"
    assert path.read_bytes().startswith(b"SQLite format 3") and job["size_bytes"] == path.stat().st_size
    assert job["file_name"].startswith("mapapp-findings-") and job["file_name"].endswith(".gpkg")
    assert job["started_at"] <= job["heartbeat_at"] <= job["finished_at"]
    assert list(tmp_path.glob("*.part")) == []
    assert jobs.run_job(session, job_id, tmp_path) is False  # done: nobody runs it again


def test_progress_is_recorded_while_writing(session, tmp_path):
    for _ in range(5):
        finding_in(session, "Baerl")
    job_id = jobs.create_job(session, "csv", {}, None)
    seen = []
    original = jobs._Reporter.update

    def spy(self, **values):
        seen.append(values)
        original(self, **values)

    jobs._Reporter.update = spy
    try:
        jobs.run_job(session, job_id, tmp_path, progress_every=2)
    finally:
        jobs._Reporter.update = original
    assert seen[0] == {"total": 5, "stage": "rows", "progress": 0}
    assert [v["progress"] for v in seen[1:]] == sorted(v["progress"] for v in seen[1:])
    assert any(0 < v["progress"] < 5 for v in seen[1:])  # reported while writing, every 2 rows
    assert jobs.get_job(session, job_id)["progress"] == 5


def test_unwritable_directory_fails_with_a_plain_message(session, tmp_path):
    finding_in(session, "Baerl")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    job_id = jobs.create_job(session, "pdf", {}, None)
    jobs.run_job(session, job_id, blocker / "exports")
    job = jobs.get_job(session, job_id)
    assert job["state"] == "failed" and job["finished_at"] is not None
    assert job["error"].startswith("Die Exportdatei konnte nicht geschrieben werden")
    assert "Traceback" not in job["error"] and "File " not in job["error"]


def test_a_locked_job_is_skipped_and_runs_once(app, session, tmp_path):
    finding_in(session, "Baerl")
    job_id = jobs.create_job(session, "geojson", {}, None)
    with db.engine.connect() as other:  # another worker holds the row
        other.execute(text("SELECT id FROM export_jobs WHERE id = :id FOR UPDATE"), {"id": job_id})
        assert jobs.run_job(session, job_id, tmp_path) is False
        assert jobs.run_next(session, tmp_path) is None
        other.rollback()
    assert jobs.get_job(session, job_id)["state"] == "queued"
    ran = []

    def claimer():
        with app.app_context():
            ran.append(jobs.run_next(db.session, tmp_path))
            db.session.remove()

    threads = [threading.Thread(target=claimer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(ran, key=str) == sorted([job_id, None], key=str)
    assert jobs.get_job(session, job_id)["state"] == "done"


def test_stale_running_job_is_failed_on_the_next_claim(session, tmp_path):
    stale = jobs.create_job(session, "csv", {}, None)
    alive = jobs.create_job(session, "csv", {}, None)
    now = datetime.now(timezone.utc)
    set_job(session, stale, state="running", started_at=now - timedelta(hours=1),
            heartbeat_at=now - timedelta(minutes=30))
    set_job(session, alive, state="running", started_at=now, heartbeat_at=now)
    assert jobs.claim_next(session, tmp_path, stale_minutes=10) is None
    failed = jobs.get_job(session, stale)
    assert failed["state"] == "failed" and failed["error"] == jobs.STALE_ERROR
    assert jobs.get_job(session, alive)["state"] == "running"


def test_old_jobs_and_files_are_cleaned(session, tmp_path):
    old = jobs.create_job(session, "csv", {}, None)
    recent = jobs.create_job(session, "csv", {}, None)
    for job_id in (old, recent):
        jobs.run_job(session, job_id, tmp_path)
    set_job(session, old, finished_at=datetime.now(timezone.utc) - timedelta(hours=30))
    assert jobs.clean_old(session, tmp_path, keep_hours=24) == 1
    assert jobs.get_job(session, old) is None and not (tmp_path / f"{old}.csv").exists()
    assert jobs.get_job(session, recent)["state"] == "done" and (tmp_path / f"{recent}.csv").exists()


def test_worker_command_runs_queued_jobs(app, session, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    finding_in(session, "Baerl")
    job_id = jobs.create_job(session, "kml", {}, None)
    result = app.test_cli_runner().invoke(args=["export", "worker", "--once"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert jobs.get_job(session, job_id)["state"] == "done"
    assert (tmp_path / f"{job_id}.kml").read_bytes().startswith(b"<?xml")
