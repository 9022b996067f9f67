"""Sends whose outcome is unknown: the city took the POST but the answer was lost, or we crashed.

Such a submission becomes 'uncertain' and is never posted again by itself; an organiser
records the city's id ("mark as sent") or, after checking, sends it again.
"""
import pytest
from sqlalchemy import text

from mapapp.errors import Conflict, ValidationFailed
from mapapp.open311.city import endpoints as city_endpoints
from mapapp.open311.city import state as city_state
from mapapp.open311.city.client import Open311Client
from mapapp.open311.city.queue import queue_concerns
from mapapp.open311.city.refresh import refresh_statuses
from mapapp.open311.city.sending import send_pending
from tests.auth.helpers import log_in
from tests.factories import make_user
from tests.open311.helpers import _db, _token, concern, confirmed, events, submission


def queued(session, endpoint):
    concern_id = confirmed(session)
    assert queue_concerns(session, endpoint, [concern_id]).queued
    return concern_id


@pytest.mark.parametrize("mode", ["hang", "drop"])
def test_answer_lost_after_the_city_took_it_is_uncertain_and_not_resent(session, server, endpoint, mode):
    concern_id = queued(session, endpoint)
    server.after_accept, server.hang_seconds = mode, 3.0
    report = send_pending(session, Open311Client(timeout=0.5))
    assert list(report.uncertain) == [str(concern_id)] and not report.sent and not report.failed
    assert len(server.posts) == 1  # the city has it
    row = submission(session, concern_id)
    assert (row["state"], row["attempts"]) == ("uncertain", 1) and "no answer" in row["last_error"]
    assert concern(session, concern_id).status == "confirmed"
    server.after_accept = None
    again = send_pending(session, Open311Client(timeout=5), backoff_seconds=0)
    assert again.sent == {} and again.failed == {}
    assert "Unklar" in queue_concerns(session, endpoint, [concern_id]).skipped[str(concern_id)]
    assert len(server.posts) == 1 and submission(session, concern_id)["state"] == "uncertain"


def test_a_gateway_timeout_after_the_city_took_it_is_uncertain(session, server, endpoint):
    concern_id = queued(session, endpoint)
    server.after_accept = "gateway_timeout"
    report = send_pending(session, Open311Client(timeout=5))
    assert list(report.uncertain) == [str(concern_id)] and not report.failed
    assert submission(session, concern_id)["state"] == "uncertain" and len(server.posts) == 1


def test_connection_refused_is_a_definite_failure(session, endpoint):
    concern_id = queued(session, endpoint)
    session.execute(text("UPDATE city_endpoints SET base_url = 'http://127.0.0.1:9/open311'"))
    session.commit()
    report = send_pending(session, Open311Client(timeout=2))
    assert str(concern_id) in report.failed and not report.uncertain
    assert submission(session, concern_id)["state"] == "failed"


class CrashingClient(Open311Client):
    """Posts for real, then the process "dies" before the answer is stored."""

    def post_request(self, *args, **kwargs):
        super().post_request(*args, **kwargs)
        raise SystemExit("killed")


def test_a_crash_after_the_post_leaves_sending_which_becomes_uncertain(session, server, endpoint):
    concern_id = queued(session, endpoint)
    with pytest.raises(SystemExit):
        send_pending(session, CrashingClient(timeout=5))
    session.rollback()
    row = submission(session, concern_id)
    assert row["state"] == "sending" and row["claimed_at"] is not None and len(server.posts) == 1
    fresh = send_pending(session, Open311Client(timeout=5), backoff_seconds=0)
    assert fresh.sent == {} and fresh.uncertain == {}  # may still be in flight: left alone
    assert submission(session, concern_id)["state"] == "sending"
    session.execute(text("UPDATE city_submissions SET claimed_at = now() - interval '11 minutes'"))
    session.commit()
    report = send_pending(session, Open311Client(timeout=5), backoff_seconds=0)
    assert list(report.uncertain) == [str(concern_id)] and report.sent == {}
    row = submission(session, concern_id)
    assert row["state"] == "uncertain" and "interrupted" in row["last_error"]
    assert len(server.posts) == 1


def test_refresh_also_turns_stale_sending_into_uncertain(session, server, endpoint):
    concern_id = queued(session, endpoint)
    session.execute(text("UPDATE city_submissions SET state = 'sending', claimed_at = now() - interval '2 minutes'"))
    session.commit()
    assert refresh_statuses(session, Open311Client(timeout=5)).uncertain == []
    report = refresh_statuses(session, Open311Client(timeout=5), stale_after_seconds=60)
    assert report.uncertain == [str(concern_id)]
    assert submission(session, concern_id)["state"] == "uncertain" and server.posts == []


def _make_uncertain(session, server, endpoint):
    concern_id = queued(session, endpoint)
    server.after_accept = "drop"
    send_pending(session, Open311Client(timeout=5))
    server.after_accept = None
    assert submission(session, concern_id)["state"] == "uncertain"
    return concern_id


def test_mark_as_sent_hands_the_concern_over(session, server, endpoint):
    concern_id = _make_uncertain(session, server, endpoint)
    with pytest.raises(ValidationFailed) as err:
        city_state.mark_sent(session, concern_id, "  ")
    assert "service_request_id" in err.value.fields
    session.rollback()
    user = make_user(session)
    city_state.mark_sent(session, concern_id, "city-1", user_id=user.id)
    row = submission(session, concern_id)
    assert (row["state"], row["service_request_id"], row["last_error"]) == ("sent", "city-1", None)
    assert row["sent_at"] is not None
    assert concern(session, concern_id) == ("handed_over", 2)
    [(from_status, to_status, note)] = events(session, concern_id)
    assert (from_status, to_status) == ("confirmed", "handed_over") and "city-1" in note
    with pytest.raises(Conflict):
        city_state.mark_sent(session, concern_id, "city-2")
    session.rollback()
    server.statuses["city-1"] = ("closed", "Erledigt.")
    refresh_statuses(session, Open311Client(timeout=5))
    assert concern(session, concern_id).status == "resolved" and len(server.posts) == 1


def test_send_again_after_the_organiser_checked(session, server, endpoint):
    concern_id = _make_uncertain(session, server, endpoint)
    city_state.send_again(session, concern_id)
    row = submission(session, concern_id)
    assert (row["state"], row["claimed_at"]) == ("pending", None)
    note = session.execute(text(
        "SELECT note FROM concern_events WHERE concern_id = :id AND action = 'city_send_again'"
    ), {"id": concern_id}).scalar()
    assert "nicht bei der Stadt angekommen" in note
    assert send_pending(session, Open311Client(timeout=5)).sent == {str(concern_id): "city-2"}
    assert len(server.posts) == 2 and concern(session, concern_id).status == "handed_over"
    with pytest.raises(Conflict):
        city_state.send_again(session, concern_id)
    session.rollback()


def test_organiser_page_shows_uncertain_and_resolves_it(app, server, csrf_enabled):
    client = app.test_client()
    _db(app, lambda s: make_user(s, "orga"))
    endpoint_id = _db(app, lambda s: city_endpoints.add_endpoint(
        s, name="Stadt", base_url=server.base_url, api_key="k-1", service_map={"empty_shop": "LEER01"}))
    first, second = (_db(app, lambda s: queued(s, endpoint_id)) for _ in range(2))
    server.after_accept = "drop"
    _db(app, lambda s: send_pending(s, Open311Client(timeout=5)))
    server.after_accept = None
    log_in(client)
    page = client.get("/organiser/city/")
    assert page.status_code == 200 and "Versand unklar" in page.text
    assert "Bitte bei der Stadt nachfragen" in page.text and "Leerstand am Platz" in page.text
    assert client.post(f"/organiser/city/submissions/{first}/mark-sent",
                       data={"service_request_id": "city-1"}).status_code == 400  # no CSRF token
    missing = client.post(f"/organiser/city/submissions/{first}/mark-sent",
                          data={"csrf_token": _token(page.text), "service_request_id": ""}, follow_redirects=True)
    assert "Vorgangsnummer" in missing.text
    marked = client.post(f"/organiser/city/submissions/{first}/mark-sent",
                         data={"csrf_token": _token(page.text), "service_request_id": "city-1"},
                         follow_redirects=True)
    assert "Als gesendet vermerkt" in marked.text
    again = client.post(f"/organiser/city/submissions/{second}/send-again",
                        data={"csrf_token": _token(marked.text)}, follow_redirects=True)
    assert "1 Anliegen an die Stadt gesendet" in again.text and "Versand unklar" not in again.text
    assert _db(app, lambda s: concern(s, first).status) == "handed_over"
    assert _db(app, lambda s: submission(s, second)["service_request_id"]) == "city-3"
    assert len(server.posts) == 3
    _db(app, lambda s: (s.execute(text("TRUNCATE city_endpoints CASCADE")), s.commit()))


def test_cli_mark_sent_and_send_again(app, session, server, endpoint):
    first = _make_uncertain(session, server, endpoint)
    second = _make_uncertain(session, server, endpoint)
    runner = app.test_cli_runner()
    status = runner.invoke(args=["city", "status"])
    assert f"{first} uncertain" in status.output
    assert runner.invoke(args=["city", "mark-sent", str(first), "city-1"]).exit_code == 0
    wrong = runner.invoke(args=["city", "mark-sent", str(first), "city-9"])
    assert wrong.exit_code != 0 and "unklar" in wrong.output
    assert runner.invoke(args=["city", "send-again", str(second)]).exit_code == 0
    sent = runner.invoke(args=["city", "send"])
    assert "1 sent, 0 failed, 0 uncertain" in sent.output, sent.output
    assert (submission(session, first)["state"], submission(session, second)["state"]) == ("sent", "sent")
    assert len(server.posts) == 3


def test_a_concern_that_can_no_longer_go_fails_without_a_post(session, server, endpoint):
    concern_id = queued(session, endpoint)
    session.execute(text("UPDATE concerns SET status = 'rejected' WHERE id = :id"), {"id": concern_id})
    session.commit()
    report = send_pending(session, Open311Client(timeout=5))
    assert "not confirmed" in report.failed[str(concern_id)] and server.posts == []
    row = submission(session, concern_id)
    assert (row["state"], row["attempts"], row["claimed_at"]) == ("failed", 1, None)


def test_cli_stale_after(app, session, server, endpoint):
    concern_id = queued(session, endpoint)
    session.execute(text("UPDATE city_submissions SET state = 'sending', claimed_at = now() - interval '2 minutes'"))
    session.commit()
    runner = app.test_cli_runner()
    assert "0 uncertain" in runner.invoke(args=["city", "send"]).output
    result = runner.invoke(args=["city", "send", "--stale-after", "60"])
    assert "1 uncertain" in result.output and f"mapapp city mark-sent {concern_id}" in result.output
    assert submission(session, concern_id)["state"] == "uncertain" and server.posts == []
