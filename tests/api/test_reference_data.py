"""GET /api/districts, /api/categories, /api/walks and the OpenAPI description."""
import pytest

from tests.factories import AFRIKA_SIEDLUNG, BISMARCKPLATZ, make_finding, make_walk


def test_districts_carry_counts_per_category(client, session):
    make_finding(session, *BISMARCKPLATZ, category="empty_shop")
    make_finding(session, *BISMARCKPLATZ, category="empty_shop")
    make_finding(session, *BISMARCKPLATZ, category="noise")
    make_finding(session, *AFRIKA_SIEDLUNG, category="youth_offer")
    response = client.get("/api/districts?level=stadtbezirk")
    assert response.status_code == 200
    features = {f["properties"]["code"]: f for f in response.get_json()["features"]}
    assert len(features) == 7
    homberg = features["4"]["properties"]
    assert homberg["name"] == "Homberg/Ruhrort/Baerl"
    assert homberg["counts"] == {"empty_shop": 2, "noise": 1}
    assert homberg["total"] == 3
    assert features["7"]["properties"]["counts"] == {"youth_offer": 1}
    assert features["1"]["properties"]["total"] == 0
    assert features["4"]["geometry"]["type"] == "MultiPolygon"


def test_ortsteile_name_their_parent(client, session):
    make_finding(session, *BISMARCKPLATZ)
    features = {f["properties"]["name"]: f["properties"] for f in
                client.get("/api/districts?level=ortsteil").get_json()["features"]}
    assert features["Alt-Homberg"]["parent"] == "Homberg/Ruhrort/Baerl"
    assert features["Alt-Homberg"]["total"] == 1
    assert features["Buchholz"]["parent_code"] == "7"


def test_unknown_level_is_refused(client):
    response = client.get("/api/districts?level=planet")
    assert response.status_code == 422
    assert "level" in response.get_json()["fields"]


def test_categories_hold_the_walks_themes(client):
    categories = client.get("/api/categories").get_json()["categories"]
    slugs = [c["slug"] for c in categories]
    assert slugs[:3] == ["cycle_path", "noise", "empty_shop"]
    assert {"youth_offer", "litter", "lighting", "barrier", "public_space", "other"} <= set(slugs)
    assert all(c["label_de"] and c["label_en"] and c["icon"] for c in categories)


def test_walks_list_their_district_and_findings(client, session):
    walk = make_walk(session, title="Einzelhandel in Alt-Homberg", meeting_point_name="Bismarckplatz")
    make_finding(session, *BISMARCKPLATZ, walk_id=walk)
    (listed,) = client.get("/api/walks").get_json()["walks"]
    assert listed["id"] == str(walk)
    assert listed["meeting_point_name"] == "Bismarckplatz"
    assert client.get(f"/api/walks/{walk}").get_json()["meeting_point_name"] == "Bismarckplatz"
    assert listed["ortsteil"] == "Alt-Homberg"
    assert listed["stadtbezirk"] == "Homberg/Ruhrort/Baerl"
    assert listed["meeting_point"]["coordinates"] == [BISMARCKPLATZ[1], BISMARCKPLATZ[0]]
    assert listed["findings"] == 1


def test_openapi_describes_the_endpoints(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert {"/api/findings", "/api/districts", "/api/categories", "/api/walks"} <= set(document["paths"])
    schema = document["components"]["schemas"]["FindingIn"]
    assert {"id", "category"} <= set(schema["required"])


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/findings/not-a-uuid"])
def test_unknown_api_paths_answer_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"
