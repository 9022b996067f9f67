"""GET /api/findings and GET /api/findings/<id>: filters built in PostGIS."""
import uuid

import pytest

from tests.factories import AFRIKA_SIEDLUNG, BISMARCKPLATZ, RHEINHAUSEN_MARKT, make_finding, make_walk

HOMBERG_BBOX = "6.68,51.44,6.72,51.47"


def ids(response):
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/geo+json"
    collection = response.get_json()
    assert collection["type"] == "FeatureCollection"
    return {feature["id"] for feature in collection["features"]}


@pytest.fixture
def three_places(session):
    return {
        "homberg": make_finding(session, *BISMARCKPLATZ, category="empty_shop"),
        "rheinhausen": make_finding(session, *RHEINHAUSEN_MARKT, category="youth_offer"),
        "buchholz": make_finding(session, *AFRIKA_SIEDLUNG, category="youth_offer"),
    }


def test_bbox_returns_only_what_lies_inside(client, three_places):
    assert ids(client.get(f"/api/findings?bbox={HOMBERG_BBOX}")) == {str(three_places["homberg"])}


def test_no_filter_returns_all(client, three_places):
    assert ids(client.get("/api/findings")) == {str(i) for i in three_places.values()}


def test_bbox_catches_a_line_crossing_it(client, session):
    line = '{"type": "LineString", "coordinates": [[6.70, 51.435], [6.70, 51.475]]}'
    line_id = make_finding(session, category="cycle_path", geometry=line)
    assert ids(client.get(f"/api/findings?bbox={HOMBERG_BBOX}")) == {str(line_id)}


@pytest.mark.parametrize("district, expected", [
    ("402", {"homberg"}), ("Alt-Homberg", {"homberg"}), ("6", {"rheinhausen"}),
    ("Süd", {"buchholz"}), ("Walsum", set()),
])
def test_district_filter_takes_code_or_name(client, three_places, district, expected):
    found = ids(client.get("/api/findings", query_string={"district": district}))
    assert found == {str(three_places[key]) for key in expected}


def test_category_filter_takes_several(client, three_places):
    assert ids(client.get("/api/findings?category=youth_offer")) == {
        str(three_places["rheinhausen"]), str(three_places["buchholz"])}
    assert len(ids(client.get("/api/findings?category=youth_offer,empty_shop"))) == 3


def test_walk_filter(client, session, three_places):
    walk = make_walk(session)
    on_walk = make_finding(session, *BISMARCKPLATZ, walk_id=walk)
    assert ids(client.get(f"/api/findings?walk={walk}")) == {str(on_walk)}


def test_limit_returns_newest_first(client, session):
    made = [make_finding(session, *BISMARCKPLATZ) for _ in range(5)]
    features = client.get("/api/findings?limit=2").get_json()["features"]
    assert [f["id"] for f in features] == [str(made[4]), str(made[3])]


@pytest.mark.parametrize("query, field", [
    ("bbox=1,2,3", "bbox"), ("bbox=a,b,c,d", "bbox"), ("bbox=6.8,51.4,6.7,51.5", "bbox"),
    ("bbox=0,-95,1,1", "bbox"), ("bbox=nan,1,2,3", "bbox"), ("walk=nope", "walk"),
    ("limit=0", "limit"), ("limit=100001", "limit"), ("limit=ten", "limit"),
])
def test_bad_query_parameters_are_named(client, query, field):
    response = client.get(f"/api/findings?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_single_finding_and_404(client, session):
    finding_id = make_finding(session, *AFRIKA_SIEDLUNG, description="<b>Kein</b> Treffpunkt")
    feature = client.get(f"/api/findings/{finding_id}").get_json()
    assert feature["properties"]["ortsteil"] == "Buchholz"
    assert feature["properties"]["description"] == "<b>Kein</b> Treffpunkt"
    missing = client.get(f"/api/findings/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert missing.get_json()["error"] == "not_found"
