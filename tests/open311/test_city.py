"""Sending concerns to the city's Open311 endpoint (a local stand-in server) and following them."""
import threading

import pytest
from sqlalchemy import text

from mapapp.db import db
from mapapp.open311.city import endpoints as city_endpoints
from mapapp.open311.city.client import Open311Client
from mapapp.open311.city.queue import queue_concerns
from mapapp.open311.city.refresh import refresh_statuses
from mapapp.open311.city.sending import send_pending
from tests.auth.helpers import log_in
from tests.factories import make_finding, make_user
from tests.open311.helpers import _db, _token, concern, confirmed, events, make_concern, submission


def test_sending_stores_the_city_id_and_hands_the_concern_over(session, server, endpoint):
    concern_id = confirmed(session)
    assert queue_concerns(session, endpoint, [concern_id]).queued == [str(concern_id)]
    report = send_pending(session, Open311Client(timeout=5))
    assert report.sent == {str(concern_id): "city-1"} and not report.failed
    [posted] = server.posts
    assert posted["api_key"] == "city-key-123" and posted["jurisdiction_id"] == "duisburg.de"
    assert posted["service_code"] == "LEER01"
    assert posted["description"] == "Leerstand am Platz\n\nMehrere Läden stehen leer\n\nFunde: 1 · Personen: 0"
    assert abs(float(posted["lat"]) - 51.4565) < 1e-4 and abs(float(posted["long"]) - 6.6995) < 1e-4
    row = submission(session, concern_id)
    assert row["state"] == "sent" and row["service_request_id"] == "city-1" and row["sent_at"]
    assert concern(session, concern_id) == ("handed_over", 2)
    [(from_status, to_status, note)] = events(session, concern_id)
    assert (from_status, to_status) == ("confirmed", "handed_over") and "city-1" in note


def test_a_failure_is_kept_and_retried_later(session, server, endpoint):
    concern_id = confirmed(session)
    queue_concerns(session, endpoint, [concern_id])
    server.fail_next = 1
    first = send_pending(session, Open311Client(timeout=5))
    assert "Wartungsarbeiten" in first.failed[str(concern_id)] and not first.sent
    row = submission(session, concern_id)
    assert (row["state"], row["attempts"]) == ("failed", 1) and "503" in row["last_error"]
    assert concern(session, concern_id).status == "confirmed"
    assert send_pending(session, Open311Client(timeout=5)).sent == {}  # backoff: not due yet
    again = send_pending(session, Open311Client(timeout=5), backoff_seconds=0)
    assert again.sent == {str(concern_id): "city-1"}
    row = submission(session, concern_id)
    assert (row["state"], row["attempts"], row["last_error"]) == ("sent", 2, None)
    assert len(server.posts) == 1 and concern(session, concern_id).status == "handed_over"


def test_gives_up_after_max_attempts_but_keeps_the_row(session, server, endpoint):
    concern_id = confirmed(session)
    queue_concerns(session, endpoint, [concern_id])
    server.fail_next = 5
    for _ in range(4):
        send_pending(session, Open311Client(timeout=5), max_attempts=2, backoff_seconds=0)
    row = submission(session, concern_id)
    assert (row["state"], row["attempts"]) == ("failed", 2)


def test_unreachable_city_is_a_kept_failure(session, endpoint):
    concern_id = confirmed(session)
    session.execute(text("UPDATE city_endpoints SET base_url = 'http://127.0.0.1:9/open311'"))
    session.commit()
    queue_concerns(session, endpoint, [concern_id])
    report = send_pending(session, Open311Client(timeout=2))
    assert "not reachable" in report.failed[str(concern_id)]
    assert submission(session, concern_id)["state"] == "failed"


def test_a_concern_is_queued_and_posted_once(session, server, endpoint):
    concern_id = confirmed(session)
    assert queue_concerns(session, endpoint, [concern_id]).queued
    again = queue_concerns(session, endpoint, [concern_id])
    assert again.queued == [] and "Wartet schon" in again.skipped[str(concern_id)]
    send_pending(session, Open311Client(timeout=5))
    assert send_pending(session, Open311Client(timeout=5), backoff_seconds=0).sent == {}
    third = queue_concerns(session, endpoint, [concern_id])
    assert "Schon an die Stadt gesendet" in third.skipped[str(concern_id)]
    send_pending(session, Open311Client(timeout=5))
    assert len(server.posts) == 1
    assert session.execute(text("SELECT count(*) FROM city_submissions")).scalar() == 1


def test_two_concurrent_workers_post_each_concern_once(app, session, server, endpoint):
    concern_ids = [confirmed(session) for _ in range(4)]
    queue_concerns(session, endpoint, concern_ids)
    server.delay = 0.3
    reports, errors = [], []

    def worker():
        try:
            with app.app_context():
                reports.append(send_pending(db.session, Open311Client(timeout=5)))
                db.session.remove()
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert len(server.posts) == 4
    sent = [cid for report in reports for cid in report.sent]
    assert sorted(sent) == sorted(str(cid) for cid in concern_ids)
    assert all(len(report.sent) < 4 for report in reports)  # both workers did part of it
    assert {concern(session, cid).status for cid in concern_ids} == {"handed_over"}


def test_refresh_maps_closed_to_resolved_with_the_city_note(session, server, endpoint):
    open_one, closed_one = confirmed(session), confirmed(session)
    queue_concerns(session, endpoint, [open_one, closed_one])
    send_pending(session, Open311Client(timeout=5))
    closed_id = submission(session, closed_one)["service_request_id"]
    server.statuses[closed_id] = ("closed", "Ordnungsamt hat den Eigentümer angeschrieben.")
    report = refresh_statuses(session, Open311Client(timeout=5))
    assert report.resolved == [str(closed_one)] and not report.errors
    assert concern(session, closed_one).status == "resolved"
    assert concern(session, open_one).status == "handed_over"
    assert events(session, closed_one)[-1] == ("handed_over", "resolved",
                                               "Ordnungsamt hat den Eigentümer angeschrieben.")
    assert submission(session, closed_one)["city_status"] == "closed"
    assert submission(session, open_one)["city_status"] == "open"
    assert any("jurisdiction_id=duisburg.de" in path for path in server.gets)


def test_a_token_answer_is_resolved_to_an_id_on_refresh(session, server, endpoint):
    concern_id = confirmed(session)
    server.token_only = True
    queue_concerns(session, endpoint, [concern_id])
    assert send_pending(session, Open311Client(timeout=5)).sent == {str(concern_id): "tok-1"}
    row = submission(session, concern_id)
    assert (row["token"], row["service_request_id"]) == ("tok-1", None)
    assert concern(session, concern_id).status == "handed_over"
    server.statuses["city-1"] = ("closed", "Erledigt.")
    refresh_statuses(session, Open311Client(timeout=5))
    assert submission(session, concern_id)["service_request_id"] == "city-1"
    assert concern(session, concern_id).status == "resolved"
    assert any(path.startswith("/open311/v2/tokens/tok-1.json") for path in server.gets)


def test_unmapped_category_and_unconfirmed_concerns_are_refused(session, server, endpoint):
    noise = confirmed(session, category="noise")
    fresh = make_concern(session, [make_finding(session)], status="new")
    report = queue_concerns(session, endpoint, [noise, fresh, "kein-uuid"])
    assert report.queued == []
    assert "keinem service_code zugeordnet" in report.skipped[str(noise)]
    assert "Nur bestätigte" in report.skipped[str(fresh)]
    assert "keine gültige" in report.skipped["kein-uuid"]
    send_pending(session, Open311Client(timeout=5))
    assert server.posts == []


def test_endpoint_validation(session):
    with pytest.raises(Exception) as err:
        city_endpoints.add_endpoint(session, name="", base_url="ftp://x", api_key="",
                                    service_map={"no_such": "X"})
    assert set(err.value.fields) == {"name", "base_url", "api_key", "service_map"}
    assert city_endpoints.parse_map(["empty_shop=LEER01", " cycle_path = RAD07 "]) == {
        "empty_shop": "LEER01", "cycle_path": "RAD07"}


def test_organiser_page_creates_an_endpoint_sends_and_refreshes(app, server, csrf_enabled):
    client = app.test_client()
    user_id = _db(app, lambda s: make_user(s, "orga").id)
    concern_id = _db(app, confirmed)
    log_in(client)
    page = client.get("/organiser/city/")
    assert page.status_code == 200 and "Bitte zuerst" in page.text
    assert client.post("/organiser/city/endpoints", data={"name": "Stadt"}).status_code == 400  # no token
    created = client.post("/organiser/city/endpoints", data={
        "csrf_token": _token(page.text), "name": "Stadt Duisburg", "base_url": server.base_url,
        "api_key": "geheim-4711", "service_map": "empty_shop=LEER01"})
    assert created.status_code == 302, created.text[:3000]
    page = client.get("/organiser/city/")
    assert "…4711" in page.text and "geheim-4711" not in page.text and str(concern_id) in page.text
    endpoint_id = _db(app, lambda s: s.execute(text("SELECT id FROM city_endpoints")).scalar())
    sent = client.post("/organiser/city/send", data={"csrf_token": _token(page.text), "endpoint": endpoint_id,
                                                     "concern": [str(concern_id)]}, follow_redirects=True)
    assert "1 Anliegen an die Stadt gesendet" in sent.text and "city-1" in sent.text
    assert _db(app, lambda s: s.execute(text(
        "SELECT user_id FROM concern_events WHERE to_status = 'handed_over'")).scalar()) == user_id
    server.statuses["city-1"] = ("closed", "Erledigt.")
    refreshed = client.post("/organiser/city/refresh", data={"csrf_token": _token(sent.text)},
                            follow_redirects=True)
    assert refreshed.status_code == 200
    assert _db(app, lambda s: concern(s, concern_id).status) == "resolved"
    _db(app, lambda s: (s.execute(text("TRUNCATE city_endpoints CASCADE")), s.commit()))


def test_organiser_page_refuses_others(client, session):
    assert client.get("/organiser/city/").status_code == 302
    make_user(session, "team", role="team_member")
    log_in(client, "team")
    assert client.get("/organiser/city/").status_code == 403
    assert client.post("/organiser/city/send", data={"concern": "x"}).status_code == 403


def test_cli_add_send_refresh_status(app, session, server):
    runner = app.test_cli_runner()
    added = runner.invoke(args=["city", "add-endpoint", "Stadt", server.base_url, "--api-key", "k-1",
                                "--jurisdiction", "duisburg.de", "--map", "empty_shop=LEER01"])
    assert added.exit_code == 0, added.output
    concern_id = confirmed(session)
    sent = runner.invoke(args=["city", "send", "--concern", str(concern_id)])
    assert sent.exit_code == 0, sent.output
    assert "1 sent, 0 failed" in sent.output and len(server.posts) == 1
    assert runner.invoke(args=["city", "refresh"]).exit_code == 0
    status = runner.invoke(args=["city", "status"])
    assert "Stadt" in status.output and "city-1" in status.output and "key …k-1" in status.output
    bad = runner.invoke(args=["city", "add-endpoint", "X", "nope", "--api-key", "k", "--map", "oops"])
    assert bad.exit_code != 0 and "kategorie=service_code" in bad.output
    session.execute(text("TRUNCATE city_endpoints CASCADE"))
    session.commit()
