"""GET discovery, services, service definitions and requests in JSON and XML, with filters and errors."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from tests.factories import BISMARCKPLATZ, RHEINHAUSEN_MARKT, make_finding
from tests.open311 import spec
from tests.open311.helpers import make_concern, xml_root

BASE = "/open311/v2"


def test_discovery_in_both_formats(client):
    body = client.get(f"{BASE}/discovery.json").get_json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    root = xml_root(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert [f.text for f in root.iterfind("endpoints/endpoint/formats/format")] == endpoint["formats"]


def test_services_list_active_categories(client, session):
    body = client.get(f"{BASE}/services.json").get_json()
    for service in body:
        spec.check(service, spec.SERVICE)
        assert service["type"] == "realtime"
    by_code = {s["service_code"]: s for s in body}
    assert by_code["empty_shop"]["metadata"] is True
    assert by_code["empty_shop"]["service_name"] == session.execute(
        text("SELECT label_de FROM categories WHERE slug = 'empty_shop'")).scalar()
    active = session.execute(text("SELECT count(*) FROM categories WHERE active")).scalar()
    assert len(body) == active
    english = client.get(f"{BASE}/services.json?locale=en").get_json()
    assert {s["service_code"]: s["service_name"] for s in english}["empty_shop"] == session.execute(
        text("SELECT label_en FROM categories WHERE slug = 'empty_shop'")).scalar()
    root = xml_root(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services" and len(root) == active
    for service in root.iterfind("service"):
        spec.check_xml(service, spec.SERVICE)


def test_service_definition(client):
    body = client.get(f"{BASE}/services/cycle_path.json").get_json()
    spec.check_service_definition(body)
    damage = next(a for a in body["attributes"] if a["code"] == "damage")
    assert damage["datatype"] == "multivaluelist"
    assert {"key": "potholes", "name": "Schlaglöcher"} in damage["values"]
    root = xml_root(client.get(f"{BASE}/services/cycle_path.xml"))
    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    spec.check_xml(attribute, {k: v for k, v in spec.ATTRIBUTE.items() if k != "values"})
    assert attribute.find("values/value/key").text == "potholes"


def test_service_definition_unknown_or_without_questions_is_404_in_spec_format(client, session):
    response = client.get(f"{BASE}/services/nope.json")
    assert response.status_code == 404
    assert response.get_json()[0]["code"] == 404 and response.get_json()[0]["description"]
    plain = session.execute(text(
        "SELECT slug FROM categories c WHERE NOT EXISTS (SELECT 1 FROM category_attributes a "
        "WHERE a.category_slug = c.slug) LIMIT 1")).scalar()
    if plain:
        assert client.get(f"{BASE}/services/{plain}.json").status_code == 404
    response = client.get(f"{BASE}/services/nope.xml")
    root = xml_root(response)
    assert response.status_code == 404 and root.tag == "errors"
    assert root.find("error/code").text == "404" and root.find("error/description").text


def test_requests_show_concerns_and_unmerged_findings(client, session):
    merged = make_finding(session, description="im Anliegen")
    loose = make_finding(session, *RHEINHAUSEN_MARKT, category="cycle_path", description="<b>Schlagloch</b>")
    concern = make_concern(session, [merged], status="handed_over", note="An das Amt übergeben",
                           public_message="Die Stadt kümmert sich darum.")
    session.execute(text("INSERT INTO photos (id, finding_id, sha256, stored_sha256, width, height, position, "
                         "moderation) "
                         "VALUES (gen_random_uuid(), :id, repeat('a', 64), repeat('b', 64), 800, 600, 0, 'approved')"),
                    {"id": str(loose)})
    session.commit()
    body = client.get(f"{BASE}/requests.json").get_json()
    by_id = {r["service_request_id"]: r for r in body}
    assert set(by_id) == {str(concern), str(loose)}
    for item in body:
        spec.check(item, spec.REQUEST)
        assert datetime.fromisoformat(item["requested_datetime"]).utcoffset() is not None
    assert by_id[str(concern)]["status"] == "open"
    assert by_id[str(concern)]["status_notes"] == "Die Stadt kümmert sich darum."
    assert by_id[str(loose)]["status_notes"] is None
    assert by_id[str(loose)]["service_code"] == "cycle_path"
    assert by_id[str(loose)]["media_url"] == f"http://localhost/photos/{'b' * 64}/web.jpg"
    assert "Rheinhausen" in by_id[str(loose)]["address"]
    assert by_id[str(loose)]["lat"] == pytest.approx(RHEINHAUSEN_MARKT[0])
    root = xml_root(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests" and len(root) == 2
    for item in root.iterfind("request"):
        spec.check_xml(item, {k: v for k, v in spec.REQUEST.items()
                              if v is not spec.OPT_STR})
    assert b"&lt;b&gt;Schlagloch" in client.get(f"{BASE}/requests.xml").data


@pytest.mark.parametrize("status, expected", [
    ("new", "open"), ("in_review", "open"), ("confirmed", "open"), ("handed_over", "open"),
    ("resolved", "closed"), ("rejected", "closed"), ("duplicate", "closed"),
])
def test_status_mapping_and_filter(client, session, status, expected):
    concern = make_concern(session, [make_finding(session)], status=status)
    item = client.get(f"{BASE}/requests/{concern}.json").get_json()[0]
    assert item["status"] == expected
    other = "closed" if expected == "open" else "open"
    assert [r["service_request_id"] for r in client.get(f"{BASE}/requests.json?status={expected}").get_json()] \
        == [str(concern)]
    assert client.get(f"{BASE}/requests.json?status={other}").get_json() == []


def test_service_code_and_date_filters(client, session):
    shop = make_finding(session)
    cycle = make_finding(session, category="cycle_path")
    old = make_finding(session, *BISMARCKPLATZ, category="cycle_path")
    long_ago = datetime.now(timezone.utc) - timedelta(days=120)
    session.execute(text("UPDATE findings SET created_at = :at WHERE id = :id"), {"at": long_ago, "id": old})
    session.commit()

    def ids(query):
        response = client.get(f"{BASE}/requests.json?{query}")
        assert response.status_code == 200, response.data
        return {r["service_request_id"] for r in response.get_json()}

    assert ids("") == {str(shop), str(cycle)}
    assert ids("service_code=cycle_path") == {str(cycle)}
    start = (long_ago - timedelta(days=1)).isoformat()
    end = (long_ago + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"start_date={start.replace('+', '%2B')}&end_date={end}") == {str(old)}
    assert ids(f"start_date={start.replace('+', '%2B')}") == {str(old)}  # the 90 days from start_date
    assert ids(f"end_date={end}") == {str(old)}  # the 90 days up to end_date
    assert ids(f"service_request_id={old},{shop}") == {str(old), str(shop)}
    bad = client.get(f"{BASE}/requests.json?start_date=gestern")
    assert bad.status_code == 400 and "start_date" in bad.get_json()[0]["description"]


def test_jurisdiction(client, session):
    make_finding(session)
    assert len(client.get(f"{BASE}/requests.json?jurisdiction_id=duisburg.de").get_json()) == 1
    response = client.get(f"{BASE}/requests.json?jurisdiction_id=essen.de")
    assert response.status_code == 404 and response.get_json()[0]["code"] == 404
    root = xml_root(client.get(f"{BASE}/services.xml?jurisdiction_id=essen.de"))
    assert root.find("error/code").text == "404"


def test_unknown_request_is_404_in_both_formats(client):
    assert client.get(f"{BASE}/requests/3f1c0000-0000-4000-8000-000000000000.json").status_code == 404
    response = client.get(f"{BASE}/requests/kein-uuid.xml")
    assert response.status_code == 404 and xml_root(response).find("error/code").text == "404"


def test_without_dates_the_last_90_days_and_no_longer_range(client, session):
    recent, edge, outside = (make_finding(session) for _ in range(3))
    now = datetime.now(timezone.utc)
    for finding_id, age in ((recent, 1), (edge, 89), (outside, 91)):
        session.execute(text("UPDATE findings SET created_at = :at WHERE id = :id"),
                        {"at": now - timedelta(days=age), "id": finding_id})
    session.commit()
    listed = {r["service_request_id"] for r in client.get(f"{BASE}/requests.json").get_json()}
    assert listed == {str(recent), str(edge)}
    assert client.get(f"{BASE}/requests/{outside}.json").status_code == 200  # still there by id
    start = (now - timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    too_long = client.get(f"{BASE}/requests.json?start_date={start}&end_date={end}")
    assert too_long.status_code == 400
    [error] = too_long.get_json()
    assert error["code"] == 400 and "90 Tage" in error["description"]
    root = xml_root(client.get(f"{BASE}/requests.xml?start_date={start}&end_date={end}"))
    assert root.tag == "errors" and root.find("error/code").text == "400"
    reversed_ = client.get(f"{BASE}/requests.json?start_date={end}&end_date={start}")
    assert reversed_.status_code == 400 and "end_date" in reversed_.get_json()[0]["description"]
    exactly_90 = (now - timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(f"{BASE}/requests.json?start_date={exactly_90}&end_date={end}").status_code == 200


def test_at_most_1000_requests_newest_first(client, session):
    make_finding(session)
    session.execute(text("""
        INSERT INTO findings (id, category_slug, geom, ortsteil_id, stadtbezirk_id, status, created_at, updated_at)
        SELECT gen_random_uuid(), f.category_slug, f.geom, f.ortsteil_id, f.stadtbezirk_id, f.status,
               f.created_at - make_interval(mins => n), f.updated_at
        FROM findings f, generate_series(1, 1004) AS n
    """))
    session.commit()
    body = client.get(f"{BASE}/requests.json").get_json()
    assert len(body) == 1000
    stamps = [r["requested_datetime"] for r in body]
    assert stamps == sorted(stamps, reverse=True)
    assert len(xml_root(client.get(f"{BASE}/requests.xml"))) == 1000
