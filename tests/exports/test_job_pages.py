"""The organiser's export form starting background jobs, the job page, its JSON and download."""
import json
import re
from datetime import date

import pytest

from mapapp.exports import jobs
from tests.auth.helpers import csrf_token, log_in, make_organiser
from tests.exports.helpers import finding_in
from tests.factories import make_user

JOB_URL = re.compile(r"/organiser/exports/jobs/([0-9a-f-]{36})$")


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "EXPORT_JOBS_IN_PROCESS", True)
    return tmp_path


def start(client, fmt="gpkg", **fields):
    page = client.get("/organiser/exports")
    data = {"format": fmt, "what": "findings", "crs": "25832", "text": "1",
            "csrf_token": csrf_token(page.text), **fields}
    return client.post("/organiser/exports", data=data)


def test_large_format_becomes_a_job_with_progress_and_download(app, client, session, export_dir):
    make_organiser(session)
    log_in(client)
    for name in ("Baerl", "Ruhrort"):
        finding_in(session, name, description="Ladenlokal leer")
    response = start(client, "gpkg")
    assert response.status_code == 303
    job_id = JOB_URL.search(response.headers["Location"]).group(1)
    page = client.get(f"/organiser/exports/jobs/{job_id}")
    assert page.status_code == 200
    assert "<progress" in page.text and "js/organiser/export-job.js" in page.text and "<script>" not in page.text
    app.extensions["export_jobs"].wait(timeout=120)
    status = client.get(f"/organiser/exports/jobs/{job_id}.json")
    assert status.status_code == 200 and status.headers["Cache-Control"] == "no-store"
    job = status.get_json()
    assert job["state"] == "done" and job["total"] == 2 and job["progress"] == 2
    assert job["download_url"] == f"/organiser/exports/jobs/{job_id}/download"
    download = client.get(job["download_url"])
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="mapapp-findings-{date.today().isoformat()}.gpkg"')
    assert download.data.startswith(b"SQLite format 3")
    listing = client.get("/organiser/exports")
    assert f"/organiser/exports/jobs/{job_id}" in listing.text and "GeoPackage" in listing.text


def test_small_format_streams_from_the_form(client, session):
    make_organiser(session)
    log_in(client)
    finding_in(session, "Baerl", description="Bank kaputt")
    response = start(client, "geojson")
    assert response.status_code == 200 and response.is_streamed
    [feature] = json.loads(response.get_data())["features"]
    assert feature["properties"]["description"] == "Bank kaputt"


def test_bad_form_is_shown_again(client, session):
    make_organiser(session)
    log_in(client)
    response = start(client, "pdf", **{"from": "2026-12-01", "to": "2026-11-01"})
    assert response.status_code == 422 and "Das Ende liegt vor dem Anfang." in response.text


def test_the_form_needs_its_csrf_token(client, session, csrf_enabled, export_dir):
    from flask import g

    make_organiser(session)
    log_in(client)
    # The session fixture's app context is shared by the test client's requests, so Flask-WTF's
    # per-context token cache would outlive the sign-in (which starts a fresh session): drop it.
    g.pop("csrf_token", None)
    response = client.post("/organiser/exports", data={"format": "gpkg"})
    assert response.status_code == 400
    assert jobs.recent_jobs(session) == []
    assert start(client, "gpkg").status_code == 303


def test_failed_job_shows_its_error(client, session, tmp_path, monkeypatch, app):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(blocker / "sub"))
    make_organiser(session)
    log_in(client)
    job_id = JOB_URL.search(start(client, "pdf").headers["Location"]).group(1)
    app.extensions["export_jobs"].wait(timeout=120)
    job = client.get(f"/organiser/exports/jobs/{job_id}.json").get_json()
    assert job["state"] == "failed" and job["error"] and job["download_url"] is None
    assert client.get(f"/organiser/exports/jobs/{job_id}/download").status_code == 404


def test_job_pages_are_for_organisers_only(client, session, tmp_path):
    job_id = jobs.create_job(session, "csv", {}, None)
    jobs.run_job(session, job_id, tmp_path)
    urls = [f"/organiser/exports/jobs/{job_id}", f"/organiser/exports/jobs/{job_id}.json",
            f"/organiser/exports/jobs/{job_id}/download"]
    for response in [client.get(url) for url in urls] + [client.post("/organiser/exports", data={"format": "gpkg"})]:
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), response.request.path
    make_user(session, "team", role="team_member")
    log_in(client, "team")
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post("/organiser/exports", data={"format": "gpkg"}).status_code == 403


def test_unknown_job_is_404(client, session):
    make_organiser(session)
    log_in(client)
    assert client.get("/organiser/exports/jobs/00000000-0000-0000-0000-000000000000").status_code == 404
