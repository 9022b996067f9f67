"""POST requests with an API key: creates an anonymous finding; keys hashed and revocable."""
import json

from sqlalchemy import text

from mapapp.open311 import apikeys
from tests.factories import AMSTERDAM, BISMARCKPLATZ, RHEINHAUSEN_MARKT
from tests.open311.helpers import issue_key, xml_root

URL = "/open311/v2/requests"


def form(key, **overrides):
    body = {"api_key": key, "service_code": "cycle_path", "lat": str(RHEINHAUSEN_MARKT[0]),
            "long": str(RHEINHAUSEN_MARKT[1]), "description": "Radweg voller Schlaglöcher"}
    body.update(overrides)
    return body


def stored(session, finding_id):
    return session.execute(text("""
        SELECT f.*, s.name AS stadtbezirk, to_jsonb(f)::text AS row_json FROM findings f
        LEFT JOIN districts s ON s.id = f.stadtbezirk_id WHERE f.id = :id
    """), {"id": finding_id}).mappings().one()


def test_post_with_valid_key_creates_finding_in_the_right_district(client, session):
    _id, key = issue_key(session)
    data = form(key) | {"attribute[damage][]": ["potholes", "roots"]}
    response = client.post(f"{URL}.json", data=data)
    assert response.status_code == 201, response.data
    [answer] = response.get_json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    assert answer["account_id"] is None and answer["service_notice"]
    row = stored(session, answer["service_request_id"])
    assert row["category_slug"] == "cycle_path"
    assert row["attributes"] == {"damage": ["potholes", "roots"]}
    assert row["participant_id"] is None
    expected = session.execute(text(
        "SELECT name FROM districts WHERE level = 'stadtbezirk' "
        "AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))"),
        {"lat": RHEINHAUSEN_MARKT[0], "lon": RHEINHAUSEN_MARKT[1]}).scalar()
    assert expected and row["stadtbezirk"] == expected
    listed = client.get(f"{URL}/{answer['service_request_id']}.json").get_json()[0]
    assert listed["service_code"] == "cycle_path" and listed["status"] == "open"


def test_post_in_xml_with_key_in_query(client, session):
    _id, key = issue_key(session)
    data = form(None, service_code="empty_shop", lat=str(BISMARCKPLATZ[0]), long=str(BISMARCKPLATZ[1]),
                **{"attribute[ground_floor]": "yes"})
    del data["api_key"]
    response = client.post(f"{URL}.xml?api_key={key}", data=data)
    assert response.status_code == 201, response.data
    root = xml_root(response)
    assert root.tag == "service_requests"
    request_id = root.find("request/service_request_id").text
    assert root.find("request/account_id").text is None
    assert stored(session, request_id)["attributes"] == {"ground_floor": "yes"}


def test_invalid_missing_and_revoked_keys_are_403(client, session):
    key_id, key = issue_key(session)
    assert client.post(f"{URL}.json", data=form("falsch")).status_code == 403
    assert client.post(f"{URL}.json", data=form(None)).status_code == 403
    apikeys.revoke_key(session, key_id)
    response = client.post(f"{URL}.xml", data=form(key))
    assert response.status_code == 403 and xml_root(response).find("error/code").text == "403"
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 0


def test_missing_or_bad_coordinates_are_400_naming_the_field(client, session):
    _id, key = issue_key(session)
    data = form(key)
    del data["lat"]
    response = client.post(f"{URL}.json", data=data)
    assert response.status_code == 400
    assert "lat" in response.get_json()[0]["description"]
    only_address = form(key, address_string="Bismarckplatz, Duisburg")
    del only_address["lat"], only_address["long"]
    response = client.post(f"{URL}.json", data=only_address)
    assert response.status_code == 400 and "lat" in response.get_json()[0]["description"]
    outside = client.post(f"{URL}.json", data=form(key, lat=str(AMSTERDAM[0]), long=str(AMSTERDAM[1])))
    assert outside.status_code == 400 and "long" in outside.get_json()[0]["description"]
    assert session.execute(text("SELECT count(*) FROM findings")).scalar() == 0


def test_validation_errors_in_spec_format(client, session):
    _id, key = issue_key(session)
    unknown = client.post(f"{URL}.json", data=form(key, service_code="nope"))
    assert unknown.status_code == 400 and unknown.get_json()[0]["code"] == 400
    bad_answer = client.post(f"{URL}.xml", data=form(key, **{"attribute[damage][]": "lava"}))
    root = xml_root(bad_answer)
    assert bad_answer.status_code == 400 and "attributes.damage" in root.find("error/description").text


def test_personal_fields_are_discarded(client, session):
    _id, key = issue_key(session)
    personal = {"email": "anna@example.org", "first_name": "Anna", "last_name": "Beispiel",
                "phone": "0203-123456", "device_id": "geraet-42", "account_id": "konto-7"}
    response = client.post(f"{URL}.json", data=form(key, **personal))
    assert response.status_code == 201
    row = stored(session, response.get_json()[0]["service_request_id"])
    dump = json.dumps({k: str(v) for k, v in row.items()})
    for value in personal.values():
        assert value not in dump
    everything = session.execute(text(
        "SELECT string_agg(t::text, ' ') FROM (SELECT to_jsonb(x) AS t FROM participants x "
        "UNION ALL SELECT to_jsonb(y) FROM api_keys y UNION ALL SELECT to_jsonb(z) FROM findings z) rows"
    )).scalar()
    for value in personal.values():
        assert value not in everything


def test_key_stored_hashed_only(session):
    key_id, key = issue_key(session)
    row = session.execute(text("SELECT to_jsonb(k)::text AS row, key_hash, prefix FROM api_keys k WHERE id = :id"),
                          {"id": key_id}).mappings().one()
    assert key not in row["row"]
    assert row["key_hash"] == apikeys.hash_key(key) and len(row["key_hash"]) == 64
    assert row["prefix"] == key[:8]
    assert apikeys.check_key(session, key) == key_id


def test_post_is_csrf_exempt(client, session, csrf_enabled):
    _id, key = issue_key(session)
    assert client.post(f"{URL}.json", data=form(key)).status_code == 201
