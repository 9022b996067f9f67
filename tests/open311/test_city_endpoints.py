"""Editing and switching off the city's Open311 endpoints (domain, organiser page, CLI)."""
import pytest
from sqlalchemy import text

from mapapp.errors import ValidationFailed
from mapapp.open311.city import endpoints as city_endpoints
from mapapp.open311.city.client import Open311Client
from mapapp.open311.city.queue import queue_concerns
from mapapp.open311.city.refresh import refresh_statuses
from mapapp.open311.city.sending import send_pending
from tests.auth.helpers import log_in
from tests.factories import make_user
from tests.open311.helpers import _db, _token, confirmed, submission


def stored(session, endpoint_id):
    session.expire_all()
    return session.execute(text("SELECT * FROM city_endpoints WHERE id = :id"), {"id": endpoint_id}).mappings().one()


def test_update_keeps_the_key_unless_a_new_one_is_given(session, server, endpoint):
    city_endpoints.update_endpoint(session, endpoint, name="Stadt Duisburg (neu)", base_url=server.base_url + "/",
                                   jurisdiction_id="", service_map={"cycle_path": "RAD08"}, active=True,
                                   api_key="  ")
    row = stored(session, endpoint)
    assert (row["name"], row["jurisdiction_id"], row["api_key"]) == ("Stadt Duisburg (neu)", None, "city-key-123")
    assert row["service_map"] == {"cycle_path": "RAD08"}
    city_endpoints.update_endpoint(session, endpoint, name="Stadt", base_url=server.base_url,
                                   jurisdiction_id="duisburg.de", service_map={"empty_shop": "L2"}, active=True,
                                   api_key="neu-9876")
    assert stored(session, endpoint)["api_key"] == "neu-9876"
    concern_id = confirmed(session)
    queue_concerns(session, endpoint, [concern_id])
    send_pending(session, Open311Client(timeout=5))
    [posted] = server.posts
    assert (posted["api_key"], posted["service_code"]) == ("neu-9876", "L2")


def test_update_validation(session, endpoint):
    other = city_endpoints.add_endpoint(session, name="Andere", base_url="https://example.invalid/v2",
                                        api_key="x", service_map={"noise": "N1"})
    with pytest.raises(ValidationFailed) as err:
        city_endpoints.update_endpoint(session, other, name="", base_url="ftp://x", jurisdiction_id=None,
                                       service_map={"no_such": "X"}, active=True)
    assert set(err.value.fields) == {"name", "base_url", "service_map"}
    session.rollback()
    with pytest.raises(ValidationFailed) as err:
        city_endpoints.update_endpoint(session, other, name="Stadt Duisburg", base_url="https://example.invalid/v2",
                                       jurisdiction_id=None, service_map={"noise": "N1"}, active=True)
    assert "name" in err.value.fields
    assert stored(session, other)["name"] == "Andere"


def test_a_switched_off_endpoint_queues_and_sends_nothing(session, server, endpoint):
    waiting, later = confirmed(session), confirmed(session)
    queue_concerns(session, endpoint, [waiting])
    city_endpoints.set_active(session, endpoint, False)
    with pytest.raises(ValidationFailed):
        queue_concerns(session, endpoint, [later])
    session.rollback()
    report = send_pending(session, Open311Client(timeout=5), backoff_seconds=0)
    assert report.sent == {} and report.failed == {} and server.posts == []
    assert submission(session, waiting)["state"] == "pending"
    city_endpoints.set_active(session, endpoint, True)
    assert send_pending(session, Open311Client(timeout=5)).sent == {str(waiting): "city-1"}
    city_endpoints.set_active(session, endpoint, False)
    server.statuses["city-1"] = ("closed", "Erledigt.")
    assert refresh_statuses(session, Open311Client(timeout=5)).updated == {}  # no traffic at all
    assert server.gets == []


def test_organiser_page_edits_and_switches_off(app, server, csrf_enabled):
    client = app.test_client()
    _db(app, lambda s: make_user(s, "orga"))
    endpoint_id = _db(app, lambda s: city_endpoints.add_endpoint(
        s, name="Stadt", base_url=server.base_url, api_key="geheim-4711", jurisdiction_id="duisburg.de",
        service_map={"empty_shop": "LEER01"}))
    log_in(client)
    page = client.get(f"/organiser/city/endpoints/{endpoint_id}")
    assert page.status_code == 200 and "geheim" not in page.text and "4711" not in page.text
    assert "Ein Schlüssel ist gespeichert" in page.text and "empty_shop=LEER01" in page.text
    assert 'value="duisburg.de"' in page.text
    form = {"name": "Stadt Duisburg", "base_url": server.base_url, "jurisdiction_id": "duisburg.de",
            "api_key": "", "service_map": "empty_shop=LEER02\ncycle_path=RAD07", "active": "1"}
    assert client.post(f"/organiser/city/endpoints/{endpoint_id}", data=form).status_code == 400  # no CSRF
    bad = client.post(f"/organiser/city/endpoints/{endpoint_id}",
                      data=form | {"csrf_token": _token(page.text), "base_url": "kein-url", "api_key": "neu-1"})
    assert bad.status_code == 422 and "Bitte die Adresse des Open311-Endpunkts" in bad.text
    assert 'value="kein-url"' in bad.text and "neu-1" not in bad.text
    saved = client.post(f"/organiser/city/endpoints/{endpoint_id}", data=form | {"csrf_token": _token(bad.text)})
    assert saved.status_code == 302
    row = _db(app, lambda s: stored(s, endpoint_id))
    assert (row["name"], row["api_key"], row["active"]) == ("Stadt Duisburg", "geheim-4711", True)
    assert row["service_map"] == {"empty_shop": "LEER02", "cycle_path": "RAD07"}
    index = client.get("/organiser/city/")
    assert "geheim-4711" not in index.text and f"/organiser/city/endpoints/{endpoint_id}" in index.text
    off = client.post(f"/organiser/city/endpoints/{endpoint_id}/active",
                      data={"csrf_token": _token(index.text), "active": "0"}, follow_redirects=True)
    assert "Der Endpunkt ist abgeschaltet" in off.text
    assert _db(app, lambda s: stored(s, endpoint_id)["active"]) is False
    on = client.post(f"/organiser/city/endpoints/{endpoint_id}", data=form | {"csrf_token": _token(off.text)})
    assert on.status_code == 302 and _db(app, lambda s: stored(s, endpoint_id)["active"]) is True
    unchecked = {k: v for k, v in form.items() if k != "active"} | {"csrf_token": _token(off.text)}
    assert client.post(f"/organiser/city/endpoints/{endpoint_id}", data=unchecked).status_code == 302
    assert _db(app, lambda s: stored(s, endpoint_id)["active"]) is False
    assert client.get("/organiser/city/endpoints/999999").status_code == 404
    _db(app, lambda s: (s.execute(text("TRUNCATE city_endpoints CASCADE")), s.commit()))


def test_cli_edit_endpoint(app, session, server, endpoint):
    runner = app.test_cli_runner()
    done = runner.invoke(args=["city", "edit-endpoint", "Stadt Duisburg", "--map", "noise=N1", "--inactive"])
    assert done.exit_code == 0, done.output
    row = stored(session, endpoint)
    assert (row["service_map"], row["active"], row["api_key"]) == ({"noise": "N1"}, False, "city-key-123")
    assert runner.invoke(args=["city", "edit-endpoint", str(endpoint), "--active", "--api-key", "k2"]).exit_code == 0
    assert (stored(session, endpoint)["active"], stored(session, endpoint)["api_key"]) == (True, "k2")
    bad = runner.invoke(args=["city", "edit-endpoint", str(endpoint), "--url", "nope"])
    assert bad.exit_code != 0 and "base_url" in bad.output
