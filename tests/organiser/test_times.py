"""The organiser's pages show walk and export times as Duisburg time with the zone named."""
import uuid
from datetime import datetime, timezone

from sqlalchemy import text

from mapapp.walks import listing as walks
from mapapp.exports import jobs
from tests.auth.helpers import log_in, make_organiser
from tests.factories import BISMARCKPLATZ

UTC_NIGHT = datetime(2026, 3, 1, 23, 30, tzinfo=timezone.utc)  # 02.03.2026, 00:30 MEZ in Duisburg


def _walk(session) -> uuid.UUID:
    walk_id = uuid.uuid4()
    walks.upsert_walk(session, id=walk_id, title="Nachtspaziergang", topic=None, description=None,
                      starts_at=UTC_NIGHT, meeting_lat=BISMARCKPLATZ[0], meeting_lon=BISMARCKPLATZ[1],
                      ortsteil_code=None)
    session.commit()
    return walk_id


def test_walk_list_and_form_name_the_zone(client, session):
    make_organiser(session)
    walk_id = _walk(session)
    log_in(client)
    listing = client.get("/organiser/")
    assert "Montag, 2. März 2026, 00:30 MEZ" in listing.text
    form = client.get(f"/organiser/walks/{walk_id}/edit")
    assert "Uhrzeiten in Duisburger Zeit (MEZ/MESZ)." in form.text
    assert "Gespeichert: Montag, 2. März 2026, 00:30 MEZ" in form.text
    assert 'value="00:30"' in form.text


def test_export_jobs_page_list_and_json_name_the_zone(client, session):
    user = make_organiser(session)
    job_id = jobs.create_job(session, "gpkg", {"what": "findings"}, user.id)
    session.execute(text("UPDATE export_jobs SET created_at = :at, finished_at = :at, state = 'failed' "
                         "WHERE id = :id"), {"at": UTC_NIGHT, "id": job_id})
    session.commit()
    log_in(client)
    assert "02.03.2026, 00:30 MEZ" in client.get("/organiser/exports").text
    page = client.get(f"/organiser/exports/jobs/{job_id}")
    assert "Gestartet: <time datetime=" in page.text and ">02.03.2026, 00:30 MEZ</time>" in page.text
    status = client.get(f"/organiser/exports/jobs/{job_id}.json").get_json()
    assert status["created_at_local"] == status["finished_at_local"] == "02.03.2026, 00:30 MEZ"
